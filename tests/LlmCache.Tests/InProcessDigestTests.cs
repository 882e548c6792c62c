using System;
using System.Collections.Generic;

namespace LlmCache.Tests;

/// <summary>
/// The in-process digest (<see cref="CacheKeyDigests.ComputeInProcess"/>, <see cref="AesKeyDigest"/> where the
/// processor has AES instructions): a function of the key bytes alone, and different for keys that differ in any bit,
/// in their length or in the order of their parts. A shared digest would only cost misses (the store compares the
/// full key), but it must not be common: every lane, the last block and the part chunk have to reach it.
/// </summary>
public sealed class InProcessDigestTests
{
    [Fact]
    public void The_digest_depends_on_the_bytes_alone_not_on_where_they_are()
    {
        byte[] key = Key(777);
        byte[] larger = new byte[key.Length + 40];
        key.CopyTo(larger, 13);

        Assert.Equal(CacheKeyDigests.ComputeInProcess(key), CacheKeyDigests.ComputeInProcess(larger.AsSpan(13, key.Length)));
        Assert.Equal(CacheKeyDigests.ComputeInProcess(key), CacheKeyDigests.ComputeInProcess((byte[])key.Clone()));
    }

    [Fact]
    public void Every_length_gives_its_own_digest_even_of_zeros()
    {
        var seen = new HashSet<CacheKeyHash>();
        byte[] zeros = new byte[600];
        for (int length = 0; length <= zeros.Length; length++)
        {
            Assert.True(seen.Add(CacheKeyDigests.ComputeInProcess(zeros.AsSpan(0, length))), $"length {length}");
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(300)]
    [InlineData(1029)]
    public void Flipping_any_bit_changes_the_digest(int length)
    {
        byte[] key = Key(length);
        var seen = new HashSet<CacheKeyHash> { CacheKeyDigests.ComputeInProcess(key) };
        for (int bit = 0; bit < length * 8; bit++)
        {
            key[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.True(seen.Add(CacheKeyDigests.ComputeInProcess(key)), $"bit {bit} of {length} bytes");
            key[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Fact]
    public void Swapping_two_chunks_changes_the_digest()
    {
        // Chunks that fold into different lanes, and chunks of one lane in different blocks.
        byte[] key = Key(1024);
        CacheKeyHash original = CacheKeyDigests.ComputeInProcess(key);
        foreach ((int first, int second) in new[] { (0, 16), (0, 128), (16, 240), (896, 1008) })
        {
            byte[] swapped = (byte[])key.Clone();
            key.AsSpan(first, 16).CopyTo(swapped.AsSpan(second));
            key.AsSpan(second, 16).CopyTo(swapped.AsSpan(first));
            Assert.NotEqual(original, CacheKeyDigests.ComputeInProcess(swapped));
        }
    }

    [Fact]
    public void The_digest_is_the_AES_round_digest_with_AES_instructions_and_the_seeded_XxHash128_without()
    {
        byte[] key = Key(300);
        CacheKeyHash expected = AesKeyDigest.IsSupported ? new CacheKeyHash(AesKeyDigest.Hash(key)) : CacheKeyDigests.ComputeSeededXxHash(key);

        Assert.Equal(expected, CacheKeyDigests.ComputeInProcess(key));
    }

    private static byte[] Key(int length)
    {
        byte[] key = new byte[length];
        new Random(length).NextBytes(key);
        return key;
    }
}
