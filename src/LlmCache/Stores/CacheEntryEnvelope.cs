using System;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace LlmCache;

/// <summary>
/// The versioned binary form in which stores outside the process keep a <see cref="CacheEntry"/>:
/// magic "LC", format version, payload kind, created-at and expires-at (Unix milliseconds, little-endian),
/// payload length, payload, and an XxHash64 checksum of everything before it.
/// </summary>
/// <remarks>
/// A reader that meets anything else (truncated, foreign, corrupted, a newer version) gets <c>false</c> from
/// <see cref="TryDecode"/> and treats the entry as a miss; decoding never throws.
/// </remarks>
public static class CacheEntryEnvelope
{
    /// <summary>The format version this library writes.</summary>
    public const byte FormatVersion = 1;

    private const int HeaderLength = 24;
    private const int ChecksumLength = 8;
    private const long NoExpiry = long.MaxValue;

    /// <summary>The envelope's size for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int GetEncodedLength(int payloadLength) => HeaderLength + payloadLength + ChecksumLength;

    /// <summary>Encodes <paramref name="entry"/> into a new array.</summary>
    public static byte[] Encode(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        byte[] buffer = new byte[GetEncodedLength(entry.Payload.Length)];
        Encode(entry, buffer);
        return buffer;
    }

    /// <summary>Encodes <paramref name="entry"/> into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> bytes.</summary>
    public static void Encode(CacheEntry entry, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ReadOnlySpan<byte> payload = entry.Payload.Span;
        int total = GetEncodedLength(payload.Length);
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the envelope needs {total}.", nameof(destination));
        }

        destination[0] = (byte)'L';
        destination[1] = (byte)'C';
        destination[2] = FormatVersion;
        destination[3] = (byte)entry.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(4), entry.CreatedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(12), entry.ExpiresAt?.ToUnixTimeMilliseconds() ?? NoExpiry);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(20), payload.Length);
        payload.CopyTo(destination.Slice(HeaderLength));
        int checksumAt = HeaderLength + payload.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(checksumAt), XxHash64.HashToUInt64(destination.Slice(0, checksumAt)));
    }

    /// <summary>Decodes an envelope; returns <c>false</c> for anything that is not an intact envelope of a known version.</summary>
    /// <param name="envelope">The stored bytes.</param>
    /// <param name="entry">The entry; its payload is a slice of <paramref name="envelope"/>'s memory.</param>
    public static bool TryDecode(ReadOnlyMemory<byte> envelope, out CacheEntry? entry)
    {
        entry = null;
        ReadOnlySpan<byte> span = envelope.Span;
        if (span.Length < HeaderLength + ChecksumLength || span[0] != (byte)'L' || span[1] != (byte)'C' || span[2] != FormatVersion)
        {
            return false;
        }

        byte kind = span[3];
        if (kind > (byte)CachePayloadKind.Authenticated)
        {
            return false;
        }

        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(20));
        if (payloadLength < 0 || payloadLength != span.Length - HeaderLength - ChecksumLength)
        {
            return false;
        }

        int checksumAt = HeaderLength + payloadLength;
        if (BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(checksumAt)) != XxHash64.HashToUInt64(span.Slice(0, checksumAt)))
        {
            return false;
        }

        long created = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(4));
        long expires = BinaryPrimitives.ReadInt64LittleEndian(span.Slice(12));
        if (!IsValidUnixMilliseconds(created) || (expires != NoExpiry && !IsValidUnixMilliseconds(expires)))
        {
            return false;
        }

        entry = new CacheEntry(
            envelope.Slice(HeaderLength, payloadLength),
            (CachePayloadKind)kind,
            DateTimeOffset.FromUnixTimeMilliseconds(created),
            expires == NoExpiry ? null : DateTimeOffset.FromUnixTimeMilliseconds(expires));
        return true;
    }

    internal static bool IsValidUnixMilliseconds(long value) =>
        value >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && value <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
}
