using System;

namespace LlmCache;

/// <summary>An entry of an <see cref="ICacheStore"/>: a serialised value with its times.</summary>
public sealed class CacheEntry
{
    /// <summary>Creates an entry.</summary>
    public CacheEntry(ReadOnlyMemory<byte> payload, CachePayloadKind kind, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
    {
        Payload = payload;
        Kind = kind;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The serialised value.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>How <see cref="Payload"/> is encoded.</summary>
    public CachePayloadKind Kind { get; }

    /// <summary>When the value was stored.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the entry stops being served; <c>null</c> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Whether the entry has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires;
}

/// <summary>How a <see cref="CacheEntry"/>'s payload is encoded. Part of the stored format: never renumber.</summary>
public enum CachePayloadKind : byte
{
    /// <summary>Opaque bytes (a <c>byte[]</c> value).</summary>
    Bytes = 0,

    /// <summary>UTF-8 text (a <c>string</c> value).</summary>
    Utf8String = 1,

    /// <summary>UTF-8 JSON written by System.Text.Json with source-generated type information.</summary>
    Json = 2,

    /// <summary>
    /// A value of one of the other kinds with its times and an HMAC tag bound to its key, written when
    /// <see cref="IntegrityOptions"/> has a secret. A reader without the secret never serves it.
    /// </summary>
    Authenticated = 3,
}
