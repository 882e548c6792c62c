using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace LlmCache;

/// <summary>
/// What <see cref="IntegrityOptions"/> does to the entries the runtime hands to remote stores. Off, it changes
/// nothing: SHA-256 keys and the entry as it is. On, keys are HMAC-SHA256 and each entry is sealed into an
/// <see cref="CachePayloadKind.Authenticated"/> payload, which every store keeps in its ordinary envelope:
/// </summary>
/// <remarks>
/// <code>
/// offset  size  field
///  0       2    "LA"
///  2       1    format version (1)
///  3       1    the value's payload kind
///  4       8    created-at, Unix milliseconds, little-endian
/// 12       8    expires-at, Unix milliseconds, little-endian; long.MaxValue for never
/// 20       n    the value's payload
/// 20+n    32    tag: HMAC-SHA256(entry key, bytes 0 .. 20+n)
/// </code>
/// The entry key is HMAC-SHA256(secret, "LlmCache entry tag v1\0" || remote digest || UTF-8 namespace), so a tag
/// is valid only under the key it was written for. Its input starts with 'L', and every canonical key starts with
/// the namespace tag 0x01, so no entry key is ever a remote digest (which anyone who reads the store can see).
/// The times inside are the ones the runtime trusts; the envelope's copy only drives the store's own expiry.
/// </remarks>
internal sealed class StoreIntegrity
{
    /// <summary>Why the runtime refused an entry that <see cref="TryOpen"/> did not open.</summary>
    public const string RefusedEntry =
        "The entry has no valid integrity tag for this key under LlmCache:Integrity's secret: it was written without the secret, under another one, or for another key.";

    private const byte FormatVersion = 1;
    private const int HeaderLength = 20;
    private const int TagLength = 32;
    private const long NoExpiry = long.MaxValue;
    private const int StackLimit = 256;

    /// <summary>No secret: SHA-256 keys, entries untouched.</summary>
    public static readonly StoreIntegrity Off = new(null);

    private static ReadOnlySpan<byte> EntryKeyLabel => "LlmCache entry tag v1\0"u8;

    private readonly byte[]? _secret;

    // Per secret: a digest under one secret is no digest under another.
    private readonly RemoteDigestMemo _memo = new();

    private StoreIntegrity(byte[]? secret) => _secret = secret;

    public static StoreIntegrity Create(IntegrityOptions options) => options.ResolveSecret() is { } secret ? new StoreIntegrity(secret) : Off;

    /// <summary>The digest of a remote key: SHA-256 off, HMAC-SHA256 under the secret on.</summary>
    public byte[] ComputeRemoteDigest(ReadOnlySpan<byte> canonicalKey) =>
        _secret is null ? CacheKeyDigests.ComputeRemote(canonicalKey) : CacheKeyDigests.ComputeKeyedRemote(canonicalKey, _secret);

    /// <summary>
    /// <see cref="ComputeRemoteDigest(ReadOnlySpan{byte})"/>, remembered for the keys read last (see <see cref="RemoteDigestMemo"/>):
    /// for a remote tier without a memory tier, which every call of a key reads. The array is shared: never change it.
    /// </summary>
    public byte[] ComputeRemoteDigest(ReadOnlySpan<byte> canonicalKey, CacheKeyHash hash)
    {
        if (_memo.TryGet(hash, canonicalKey) is { } known)
        {
            return known;
        }

        byte[] digest = ComputeRemoteDigest(canonicalKey);
        _memo.Offer(hash, canonicalKey, digest);
        return digest;
    }

    /// <summary>The remote key as <see cref="CacheOutcome.RemoteKey"/> shows it: <see cref="ComputeRemoteDigest(ReadOnlySpan{byte})"/> in lower-case hex.</summary>
    public string FormatRemoteKey(ReadOnlySpan<byte> canonicalKey) => new CacheStoreKey(null, ComputeRemoteDigest(canonicalKey)).Hex;

    /// <summary>The entry to hand to the store under <paramref name="key"/>: <paramref name="entry"/> itself when off.</summary>
    public CacheEntry Seal(CacheStoreKey key, CacheEntry entry)
    {
        if (_secret is null)
        {
            return entry;
        }

        ReadOnlySpan<byte> payload = entry.Payload.Span;
        byte[] sealedPayload = new byte[HeaderLength + payload.Length + TagLength];
        Span<byte> span = sealedPayload;
        span[0] = (byte)'L';
        span[1] = (byte)'A';
        span[2] = FormatVersion;
        span[3] = (byte)entry.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(4), entry.CreatedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(12), entry.ExpiresAt?.ToUnixTimeMilliseconds() ?? NoExpiry);
        payload.CopyTo(span.Slice(HeaderLength));
        int tagAt = HeaderLength + payload.Length;
        ComputeTag(key, span.Slice(0, tagAt), span.Slice(tagAt));
        return new CacheEntry(sealedPayload, CachePayloadKind.Authenticated, entry.CreatedAt, entry.ExpiresAt);
    }

    /// <summary>
    /// The entry that <paramref name="stored"/> carries, if the runtime may serve it: when off, <paramref name="stored"/>
    /// itself (whose kind the caller checks); when on, only the value of a payload sealed under this secret for this key.
    /// </summary>
    public bool TryOpen(CacheStoreKey key, CacheEntry stored, [NotNullWhen(true)] out CacheEntry? entry)
    {
        if (_secret is null)
        {
            entry = stored;
            return true;
        }

        entry = null;
        ReadOnlySpan<byte> span = stored.Payload.Span;
        if (stored.Kind != CachePayloadKind.Authenticated || span.Length < HeaderLength + TagLength)
        {
            return false;
        }

        int tagAt = span.Length - TagLength;
        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(key, span.Slice(0, tagAt), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, span.Slice(tagAt)))
        {
            return false;
        }

        // Authentic, so written by a holder of the secret; the checks below only refuse a format this version does not know.
        long created = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(4));
        long expires = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(12));
        if (span[0] != (byte)'L' || span[1] != (byte)'A' || span[2] != FormatVersion || span[3] > (byte)CachePayloadKind.Json ||
            !CacheEntryEnvelope.IsValidUnixMilliseconds(created) || (expires != NoExpiry && !CacheEntryEnvelope.IsValidUnixMilliseconds(expires)))
        {
            return false;
        }

        entry = new CacheEntry(
            stored.Payload.Slice(HeaderLength, tagAt - HeaderLength),
            (CachePayloadKind)span[3],
            DateTimeOffset.FromUnixTimeMilliseconds(created),
            expires == NoExpiry ? null : DateTimeOffset.FromUnixTimeMilliseconds(expires));
        return true;
    }

    private void ComputeTag(CacheStoreKey key, ReadOnlySpan<byte> sealedBytes, Span<byte> tag)
    {
        int inputLength = EntryKeyLabel.Length + CacheKeyDigests.RemoteLength + Encoding.UTF8.GetByteCount(key.Namespace);
        Span<byte> input = inputLength <= StackLimit ? stackalloc byte[StackLimit] : new byte[inputLength];
        EntryKeyLabel.CopyTo(input);
        key.Digest.CopyTo(input.Slice(EntryKeyLabel.Length));
        Encoding.UTF8.GetBytes(key.Namespace, input.Slice(EntryKeyLabel.Length + CacheKeyDigests.RemoteLength));

        Span<byte> entryKey = stackalloc byte[TagLength];
        HMACSHA256.HashData(_secret, input.Slice(0, inputLength), entryKey);
        HMACSHA256.HashData(entryKey, sealedBytes, tag);
        CryptographicOperations.ZeroMemory(entryKey);
    }
}
