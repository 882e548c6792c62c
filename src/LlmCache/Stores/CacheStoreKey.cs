using System;

namespace LlmCache;

/// <summary>
/// The key of an entry in an <see cref="ICacheStore"/>: a namespace and the SHA-256 digest of the canonical key
/// bytes (HMAC-SHA256 under an <see cref="IntegrityOptions"/> secret). Remote stores render it as <c>{prefix}{namespace}:{hex}</c>.
/// </summary>
public readonly struct CacheStoreKey : IEquatable<CacheStoreKey>
{
    private readonly byte[]? _digest;

    /// <summary>Creates a key from a namespace and a 32-byte digest.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes.</exception>
    public CacheStoreKey(string? @namespace, byte[] digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (digest.Length != CacheKeyDigests.RemoteLength)
        {
            throw new ArgumentException($"A store key digest is {CacheKeyDigests.RemoteLength} bytes (SHA-256), not {digest.Length}.", nameof(digest));
        }

        Namespace = @namespace ?? string.Empty;
        _digest = digest;
    }

    /// <summary>The namespace; <c>""</c> for the default namespace.</summary>
    public string Namespace { get; }

    /// <summary>The digest of the canonical key bytes: SHA-256, or HMAC-SHA256 under an integrity secret.</summary>
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>The digest's own array (which nobody changes), for this assembly's use of it as a key without a copy; <c>null</c> for <c>default</c>.</summary>
    internal byte[]? DigestArray => _digest;

    /// <summary>The digest as 64 lower-case hex characters.</summary>
    public string Hex => string.Create(2 * Digest.Length, _digest, static (chars, digest) => WriteHex(digest, chars));

    /// <summary>Creates the store key of canonical key bytes.</summary>
    public static CacheStoreKey FromCanonicalKey(string? @namespace, ReadOnlySpan<byte> canonicalKey) =>
        new(@namespace, CacheKeyDigests.ComputeRemote(canonicalKey));

    /// <summary>The key as remote stores render it: <c>{prefix}{namespace}:{hex}</c>.</summary>
    public string Render(string? prefix)
    {
        prefix ??= string.Empty;
        string @namespace = Namespace ?? string.Empty;
        int length = prefix.Length + @namespace.Length + 1 + (2 * Digest.Length);

        // One string, written in place: every remote read and write renders its key.
        return string.Create(length, (Prefix: prefix, Namespace: @namespace, Digest: _digest), static (chars, parts) =>
        {
            parts.Prefix.CopyTo(chars);
            parts.Namespace.CopyTo(chars.Slice(parts.Prefix.Length));
            int colon = parts.Prefix.Length + parts.Namespace.Length;
            chars[colon] = ':';
            WriteHex(parts.Digest, chars.Slice(colon + 1));
        });
    }

    /// <summary>Writes <paramref name="digest"/> as lower-case hex (the framework's own lower-case form is not in every target).</summary>
    private static void WriteHex(ReadOnlySpan<byte> digest, Span<char> chars)
    {
        const string Digits = "0123456789abcdef";
        for (int i = 0; i < digest.Length; i++)
        {
            chars[2 * i] = Digits[digest[i] >> 4];
            chars[(2 * i) + 1] = Digits[digest[i] & 0xF];
        }
    }

    /// <inheritdoc />
    public bool Equals(CacheStoreKey other) =>
        string.Equals(Namespace, other.Namespace, StringComparison.Ordinal) && Digest.SequenceEqual(other.Digest);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CacheStoreKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, _digest is null ? 0 : BitConverter.ToInt32(_digest, 0));

    /// <inheritdoc />
    public override string ToString() => Render(null);

    /// <summary>Compares two keys.</summary>
    public static bool operator ==(CacheStoreKey left, CacheStoreKey right) => left.Equals(right);

    /// <summary>Compares two keys.</summary>
    public static bool operator !=(CacheStoreKey left, CacheStoreKey right) => !left.Equals(right);
}
