using System;
using System.Linq;

namespace LlmCache.Tests;

/// <summary>The stored-entry envelope: round trips, and anything damaged is refused rather than misread.</summary>
public sealed class EnvelopeTests
{
    private static readonly CacheEntry Sample = new(
        new byte[] { 1, 2, 3, 4, 5 }, CachePayloadKind.Json, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_600_000));

    [Fact]
    public void An_entry_round_trips()
    {
        Assert.True(CacheEntryEnvelope.TryDecode(CacheEntryEnvelope.Encode(Sample), out CacheEntry? decoded));

        Assert.Equal(Sample.Payload.ToArray(), decoded!.Payload.ToArray());
        Assert.Equal(Sample.Kind, decoded.Kind);
        Assert.Equal(Sample.CreatedAt, decoded.CreatedAt);
        Assert.Equal(Sample.ExpiresAt, decoded.ExpiresAt);
    }

    [Fact]
    public void Every_single_bit_flip_and_every_truncation_is_refused()
    {
        byte[] envelope = CacheEntryEnvelope.Encode(Sample);
        for (int bit = 0; bit < envelope.Length * 8; bit++)
        {
            byte[] damaged = envelope.ToArray();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(CacheEntryEnvelope.TryDecode(damaged, out _), $"bit {bit} flipped was accepted");
        }

        for (int length = 0; length < envelope.Length; length++)
        {
            Assert.False(CacheEntryEnvelope.TryDecode(envelope.AsMemory(0, length), out _), $"a {length}-byte prefix was accepted");
        }
    }

    [Fact]
    public void Random_bytes_are_refused_without_throwing()
    {
        var random = new Random(42);
        for (int i = 0; i < 1000; i++)
        {
            byte[] junk = new byte[random.Next(0, 200)];
            random.NextBytes(junk);
            Assert.False(CacheEntryEnvelope.TryDecode(junk, out _));
        }
    }
}
