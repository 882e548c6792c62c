using System;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Serialisers for Microsoft.Extensions.AI results whose own JSON loses data, or is slow to read back. <see cref="GeneratedEmbeddings{TEmbedding}"/>
/// is a list, so MEAI's JSON writes it as a bare array and drops its <c>Usage</c> and <c>AdditionalProperties</c>;
/// stored through <see cref="GeneratedEmbeddings{T}"/> it keeps them. Everything inside still goes through
/// <see cref="AIJsonUtilities.DefaultOptions"/>.
/// </summary>
public static class MeaiResultSerializers
{
    /// <summary>
    /// Stores a <see cref="GeneratedEmbeddings{TEmbedding}"/> of <see cref="Embedding{T}"/> as
    /// <c>{"embeddings":[...],"usage":{...},"additionalProperties":{...}}</c>.
    /// </summary>
    public static CacheValueSerializer<GeneratedEmbeddings<Embedding<T>>> GeneratedEmbeddings<T>() => GeneratedEmbeddingsSerializer<T>.Instance;

    /// <summary>
    /// Stores a <see cref="Microsoft.Extensions.AI.ChatResponse"/> as MEAI's own JSON, and reads the common answer
    /// (text messages, ids, finish reason, times, token counts) without System.Text.Json's general path, which reads the rest.
    /// </summary>
    public static CacheValueSerializer<Microsoft.Extensions.AI.ChatResponse> ChatResponse() => ChatResponseSerializer.Instance;

    private sealed class GeneratedEmbeddingsSerializer<T> : CacheValueSerializer<GeneratedEmbeddings<Embedding<T>>>
    {
        public static readonly GeneratedEmbeddingsSerializer<T> Instance = new();

        // The stored property names: part of the payload format.
        private const string EmbeddingsName = "embeddings";
        private const string UsageName = "usage";
        private const string AdditionalPropertiesName = "additionalProperties";

        private readonly JsonTypeInfo<Embedding<T>> _embedding = TypeInfo<Embedding<T>>();
        private readonly JsonTypeInfo<UsageDetails> _usage = TypeInfo<UsageDetails>();
        private readonly JsonTypeInfo<AdditionalPropertiesDictionary> _properties = TypeInfo<AdditionalPropertiesDictionary>();

        public override CachePayloadKind Kind => CachePayloadKind.Json;

        public override byte[] Serialize(GeneratedEmbeddings<Embedding<T>> value)
        {
            ArgumentNullException.ThrowIfNull(value);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray(EmbeddingsName);
                foreach (Embedding<T> embedding in value)
                {
                    JsonSerializer.Serialize(writer, embedding, _embedding);
                }

                writer.WriteEndArray();
                if (value.Usage is { } usage)
                {
                    writer.WritePropertyName(UsageName);
                    JsonSerializer.Serialize(writer, usage, _usage);
                }

                if (value.AdditionalProperties is { } properties)
                {
                    writer.WritePropertyName(AdditionalPropertiesName);
                    JsonSerializer.Serialize(writer, properties, _properties);
                }

                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        public override GeneratedEmbeddings<Embedding<T>> Deserialize(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload);
            Expect(ref reader, JsonTokenType.StartObject);
            var result = new GeneratedEmbeddings<Embedding<T>>();
            bool sawEmbeddings = false;
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(EmbeddingsName))
                {
                    Expect(ref reader, JsonTokenType.StartArray);
                    while (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        result.Add(JsonSerializer.Deserialize(ref reader, _embedding) ?? throw new JsonException("A stored embedding is null."));
                    }

                    sawEmbeddings = true;
                }
                else if (reader.ValueTextEquals(UsageName))
                {
                    Read(ref reader);
                    result.Usage = JsonSerializer.Deserialize(ref reader, _usage);
                }
                else if (reader.ValueTextEquals(AdditionalPropertiesName))
                {
                    Read(ref reader);
                    result.AdditionalProperties = JsonSerializer.Deserialize(ref reader, _properties);
                }
                else
                {
                    throw new JsonException("The stored embeddings hold an unknown property.");
                }
            }

            if (!sawEmbeddings || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new JsonException("The stored embeddings are incomplete.");
            }

            return result;
        }

        private static JsonTypeInfo<TValue> TypeInfo<TValue>() =>
            AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(TValue)) as JsonTypeInfo<TValue>
            ?? throw new InvalidOperationException($"Microsoft.Extensions.AI's JSON options have no type information for {typeof(TValue).FullName}.");

        private static JsonTokenType Read(ref Utf8JsonReader reader) =>
            reader.Read() ? reader.TokenType : throw new JsonException("The stored embeddings end early.");

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
        {
            if (Read(ref reader) != token)
            {
                throw new JsonException($"The stored embeddings hold {reader.TokenType} where {token} belongs.");
            }
        }
    }
}
