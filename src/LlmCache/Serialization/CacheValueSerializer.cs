using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace LlmCache;

/// <summary>
/// Turns a cached value into the payload of a <see cref="CacheEntry"/> and back, for stores outside the process.
/// No reflection: JSON goes through source-generated <see cref="JsonTypeInfo{T}"/>, and <c>string</c> and
/// <c>byte[]</c> are copied as they are.
/// </summary>
/// <typeparam name="T">The cached type.</typeparam>
public abstract class CacheValueSerializer<T>
{
    /// <summary>How the payload is encoded; a stored entry of another kind is never read as this type.</summary>
    public abstract CachePayloadKind Kind { get; }

    /// <summary>Serialises <paramref name="value"/>.</summary>
    public abstract byte[] Serialize(T value);

    /// <summary>Deserialises a payload written by <see cref="Serialize"/>. Throws on a payload it cannot read; the runtime treats that as a miss.</summary>
    public abstract T Deserialize(ReadOnlySpan<byte> payload);
}

/// <summary>The serialisers the generated code uses.</summary>
public static class CacheValueSerializer
{
    /// <summary>UTF-8 text, for <c>string</c> results.</summary>
    public static CacheValueSerializer<string> String { get; } = new StringSerializer();

    /// <summary>The bytes themselves, for <c>byte[]</c> results.</summary>
    public static CacheValueSerializer<byte[]> Bytes { get; } = new BytesSerializer();

    /// <summary>JSON through source-generated type information.</summary>
    public static CacheValueSerializer<T> Json<T>(JsonTypeInfo<T> typeInfo) => new JsonSerializer<T>(typeInfo);

    /// <summary>
    /// JSON through the type information that <paramref name="context"/> (a source-generated
    /// <see cref="JsonSerializerContext"/>) holds for <typeparamref name="T"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The context has no type information for <typeparamref name="T"/>.</exception>
    public static CacheValueSerializer<T> Json<T>(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Json(context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw MissingTypeInfo(typeof(T), context.GetType().FullName));
    }

    /// <summary>JSON through the type information that <paramref name="options"/>' resolver holds for <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The options have no type information for <typeparamref name="T"/>.</exception>
    public static CacheValueSerializer<T> Json<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MakeReadOnly();
        return Json(options.GetTypeInfo(typeof(T)) as JsonTypeInfo<T> ?? throw MissingTypeInfo(typeof(T), "the JsonSerializerOptions"));
    }

    private static InvalidOperationException MissingTypeInfo(Type type, string? source) =>
        new($"{source} has no JSON type information for {type.FullName}; add [JsonSerializable(typeof({type.Name}))] to it.");

    private sealed class StringSerializer : CacheValueSerializer<string>
    {
        public override CachePayloadKind Kind => CachePayloadKind.Utf8String;

        public override byte[] Serialize(string value) => Encoding.UTF8.GetBytes(value);

        public override string Deserialize(ReadOnlySpan<byte> payload) => Encoding.UTF8.GetString(payload);
    }

    private sealed class BytesSerializer : CacheValueSerializer<byte[]>
    {
        public override CachePayloadKind Kind => CachePayloadKind.Bytes;

        public override byte[] Serialize(byte[] value) => (byte[])value.Clone();

        public override byte[] Deserialize(ReadOnlySpan<byte> payload) => payload.ToArray();
    }

    private sealed class JsonSerializer<T> : CacheValueSerializer<T>
    {
        private readonly JsonTypeInfo<T> _typeInfo;

        public JsonSerializer(JsonTypeInfo<T> typeInfo) => _typeInfo = typeInfo ?? throw new ArgumentNullException(nameof(typeInfo));

        public override CachePayloadKind Kind => CachePayloadKind.Json;

        public override byte[] Serialize(T value) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo);

        public override T Deserialize(ReadOnlySpan<byte> payload) =>
            System.Text.Json.JsonSerializer.Deserialize(payload, _typeInfo) ?? throw new JsonException("The cached JSON payload is null.");
    }
}
