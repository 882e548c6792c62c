using System;
using System.Security.Cryptography;

namespace LlmCache.Testing;

/// <summary>
/// Payloads that carry their own checksum: random bytes followed by the SHA-256 of those bytes. A reader can
/// tell an intact payload from a torn or corrupted one without knowing what was written.
/// </summary>
public static class SelfCheckingPayload
{
    /// <summary>The length of the trailing checksum.</summary>
    public const int ChecksumLength = 32;

    /// <summary>Creates a payload of <paramref name="length"/> bytes (at least <see cref="ChecksumLength"/>).</summary>
    public static byte[] Create(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, ChecksumLength);
        byte[] payload = new byte[length];
        random.NextBytes(payload.AsSpan(0, length - ChecksumLength));
        SHA256.HashData(payload.AsSpan(0, length - ChecksumLength), payload.AsSpan(length - ChecksumLength));
        return payload;
    }

    /// <summary>Whether <paramref name="payload"/> ends with the SHA-256 of the bytes before it.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < ChecksumLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[ChecksumLength];
        SHA256.HashData(payload.Slice(0, payload.Length - ChecksumLength), expected);
        return expected.SequenceEqual(payload.Slice(payload.Length - ChecksumLength));
    }

    /// <summary>A short identity of an intact payload (its checksum in hex), to tell which write a read returned.</summary>
    public static string Identity(ReadOnlySpan<byte> payload) => Convert.ToHexString(payload.Slice(payload.Length - ChecksumLength));
}
