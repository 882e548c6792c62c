using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace LlmCache;

/// <summary>
/// The serialisers of cached streams (<c>IAsyncEnumerable&lt;T&gt;</c> methods), whose stored value is the list of
/// updates: a JSON array with one element per update, in order, so a replay gives back every update as it came.
/// No reflection: elements go through source-generated <see cref="JsonTypeInfo{T}"/>, and strings as JSON strings.
/// </summary>
public static class CacheStreamSerializer
{
    /// <summary>A stream of <c>string</c> updates, as a JSON array of strings.</summary>
    public static CacheValueSerializer<IReadOnlyList<string>> String { get; } = new StringListSerializer();

    /// <summary>A stream of updates serialised one by one through <paramref name="elementTypeInfo"/>.</summary>
    public static CacheValueSerializer<IReadOnlyList<T>> Json<T>(JsonTypeInfo<T> elementTypeInfo) => new JsonListSerializer<T>(elementTypeInfo);

    /// <summary>A stream of updates serialised through the type information <paramref name="context"/> holds for <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The context has no type information for <typeparamref name="T"/>.</exception>
    public static CacheValueSerializer<IReadOnlyList<T>> Json<T>(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Json(context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw MissingTypeInfo(typeof(T), context.GetType().FullName));
    }

    /// <summary>
    /// A stream of updates serialised through the type information <paramref name="options"/>' resolver holds for
    /// <typeparamref name="T"/>, such as <c>AIJsonUtilities.DefaultOptions</c> for <c>ChatResponseUpdate</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The options have no type information for <typeparamref name="T"/>.</exception>
    public static CacheValueSerializer<IReadOnlyList<T>> Json<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MakeReadOnly();
        return Json(options.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw MissingTypeInfo(typeof(T), "the JsonSerializerOptions"));
    }

    private static InvalidOperationException MissingTypeInfo(Type type, string? source) =>
        new($"{source} has no JSON type information for {type.FullName}; add [JsonSerializable(typeof({type.Name}))] to it.");

    /// <summary>Moves <paramref name="reader"/> into the top-level array of a stored stream.</summary>
    private static void StartArray(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A cached stream is a JSON array of its updates.");
        }
    }

    /// <summary>Moves to the next element; <c>false</c> at the end of the array.</summary>
    private static bool NextElement(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("A cached stream's JSON array is cut short.");
        }

        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Checks that nothing follows the array.</summary>
    private static void EndPayload(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("A cached stream's JSON array is followed by more data.");
        }
    }

    private sealed class StringListSerializer : CacheValueSerializer<IReadOnlyList<string>>
    {
        public override CachePayloadKind Kind => CachePayloadKind.Json;

        public override byte[] Serialize(IReadOnlyList<string> value)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                for (int i = 0; i < value.Count; i++)
                {
                    writer.WriteStringValue(value[i]);
                }

                writer.WriteEndArray();
            }

            return buffer.WrittenSpan.ToArray();
        }

        public override IReadOnlyList<string> Deserialize(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload);
            StartArray(ref reader);
            var updates = new List<string>();
            while (NextElement(ref reader))
            {
                updates.Add(reader.GetString()!);
            }

            EndPayload(ref reader);
            return updates;
        }
    }

    private sealed class JsonListSerializer<T> : CacheValueSerializer<IReadOnlyList<T>>
    {
        private readonly JsonTypeInfo<T> _typeInfo;

        public JsonListSerializer(JsonTypeInfo<T> typeInfo) => _typeInfo = typeInfo ?? throw new ArgumentNullException(nameof(typeInfo));

        public override CachePayloadKind Kind => CachePayloadKind.Json;

        public override byte[] Serialize(IReadOnlyList<T> value)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                for (int i = 0; i < value.Count; i++)
                {
                    JsonSerializer.Serialize(writer, value[i], _typeInfo);
                }

                writer.WriteEndArray();
            }

            return buffer.WrittenSpan.ToArray();
        }

        public override IReadOnlyList<T> Deserialize(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload);
            StartArray(ref reader);
            var updates = new List<T>();
            while (NextElement(ref reader))
            {
                updates.Add(JsonSerializer.Deserialize(ref reader, _typeInfo)!);
            }

            EndPayload(ref reader);
            return updates;
        }
    }
}
