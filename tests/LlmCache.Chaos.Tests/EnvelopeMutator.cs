using System;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace LlmCache.Chaos.Tests;

/// <summary>The ways the fuzz damages a stored envelope.</summary>
public enum Mutation
{
    BitFlips,
    Truncation,
    Extension,
    WrongLength,
    WrongVersion,
    WrongKind,
    ForeignEnvelope,
    WrongMagic,
    InvalidTimestamps,
    Expired,
    Garbage,
    Empty,
    BadJsonPayload,

    /// <summary>The control: the original bytes written back, which must read as a hit of the original.</summary>
    Unchanged,
}

/// <summary>
/// Damages envelopes of the stored format (see <see cref="CacheEntryEnvelope"/>: "LC", version, kind, created,
/// expires, payload length, payload, XxHash64). "Resealed" mutations recompute the checksum, so the damage is
/// caught by the field checks and not by the checksum alone.
/// </summary>
public static class EnvelopeMutator
{
    private const int HeaderLength = 24;
    private const int ChecksumLength = 8;

    /// <summary>
    /// A damaged copy of <paramref name="envelope"/>. <paramref name="foreign"/> is a valid envelope of another
    /// payload kind, for <see cref="Mutation.ForeignEnvelope"/>.
    /// </summary>
    public static byte[] Apply(Mutation mutation, byte[] envelope, byte[] foreign, Random random) => mutation switch
    {
        Mutation.BitFlips => FlipBits(envelope, random),
        Mutation.Truncation => envelope.AsSpan(0, random.Next(envelope.Length)).ToArray(),
        Mutation.Extension => Extend(envelope, random),
        Mutation.WrongLength => WrongLength(envelope, random),
        Mutation.WrongVersion => Resealed(envelope, e => e[2] = Other(random, CacheEntryEnvelope.FormatVersion)),
        Mutation.WrongKind => Resealed(envelope, e => e[3] = Other(random, e[3])),
        Mutation.ForeignEnvelope => (byte[])foreign.Clone(),
        Mutation.WrongMagic => Resealed(envelope, e => e[random.Next(2)] ^= (byte)(1 + random.Next(255))),
        Mutation.InvalidTimestamps => Resealed(envelope, e => BinaryPrimitives.WriteInt64LittleEndian(e.AsSpan(random.Next(2) == 0 ? 4 : 12), random.Next(2) == 0 ? long.MinValue : long.MaxValue - 1 - random.Next(1000))),
        Mutation.Expired => Resealed(envelope, e => BinaryPrimitives.WriteInt64LittleEndian(e.AsSpan(12), DateTimeOffset.UtcNow.AddMinutes(-1 - random.Next(1000)).ToUnixTimeMilliseconds())),
        Mutation.Garbage => Garbage(random),
        Mutation.Empty => [],
        Mutation.BadJsonPayload => WithPayload(envelope, BadJson(envelope, random)),
        Mutation.Unchanged => (byte[])envelope.Clone(),
        _ => throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null),
    };

    private static byte[] FlipBits(byte[] envelope, Random random)
    {
        byte[] copy = (byte[])envelope.Clone();
        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Extend(byte[] envelope, Random random)
    {
        byte[] longer = new byte[envelope.Length + 1 + random.Next(64)];
        envelope.CopyTo(longer, 0);
        random.NextBytes(longer.AsSpan(envelope.Length));
        return longer;
    }

    /// <summary>A payload length field that disagrees with the bytes; resealed half of the time.</summary>
    private static byte[] WrongLength(byte[] envelope, Random random)
    {
        int actual = envelope.Length - HeaderLength - ChecksumLength;
        int[] choices = [actual - 1, actual + 1, 0, -1, int.MaxValue, int.MinValue, random.Next()];
        int declared = choices[random.Next(choices.Length)];
        if (declared == actual)
        {
            declared = actual + 2;
        }

        void Write(byte[] e) => BinaryPrimitives.WriteInt32LittleEndian(e.AsSpan(20), declared);
        if (random.Next(2) == 0)
        {
            return Resealed(envelope, Write);
        }

        byte[] copy = (byte[])envelope.Clone();
        Write(copy);
        return copy;
    }

    private static byte[] Garbage(Random random)
    {
        byte[] bytes = new byte[random.Next(1, 256)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Payloads no JSON reader can turn into a <see cref="Reply"/>: broken syntax, null, or the wrong shape.</summary>
    private static byte[] BadJson(byte[] envelope, Random random)
    {
        ReadOnlySpan<byte> json = envelope.AsSpan(HeaderLength, envelope.Length - HeaderLength - ChecksumLength);
        return random.Next(7) switch
        {
            0 => json.Slice(0, random.Next(json.Length)).ToArray(),
            1 => "null"u8.ToArray(),
            2 => "[1,2,3]"u8.ToArray(),
            3 => "\"a string\""u8.ToArray(),
            4 => "{\"Prompt\":1,\"Text\":2,\"Length\":\"x\"}"u8.ToArray(),
            5 => [.. json, .. "}}"u8],
            _ => [.. Encoding.UTF8.GetBytes("{\"Prompt\":\""), 0xFF, 0xFE, .. "\"}"u8],
        };
    }

    private static byte[] WithPayload(byte[] envelope, byte[] payload)
    {
        byte[] result = new byte[HeaderLength + payload.Length + ChecksumLength];
        envelope.AsSpan(0, HeaderLength).CopyTo(result);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(20), payload.Length);
        payload.CopyTo(result, HeaderLength);
        Seal(result);
        return result;
    }

    private static byte[] Resealed(byte[] envelope, Action<byte[]> change)
    {
        byte[] copy = (byte[])envelope.Clone();
        change(copy);
        Seal(copy);
        return copy;
    }

    private static void Seal(byte[] envelope)
    {
        int checksumAt = envelope.Length - ChecksumLength;
        BinaryPrimitives.WriteUInt64LittleEndian(envelope.AsSpan(checksumAt), XxHash64.HashToUInt64(envelope.AsSpan(0, checksumAt)));
    }

    private static byte Other(Random random, byte current)
    {
        byte other;
        do
        {
            // Half of the time another valid kind or a nearby version, else any byte.
            other = random.Next(2) == 0 ? (byte)random.Next(4) : (byte)random.Next(256);
        }
        while (other == current);

        return other;
    }
}
