using System;
using System.Buffers.Binary;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlmCache.AI;

namespace LlmCache.Tests;

/// <summary>
/// Strings of <see cref="CacheKeyWriter.DigestedStringBytes"/> or more UTF-8 bytes enter the key as the SHA-256 of
/// their UTF-8: the same bytes whichever way the text is written, a different key for different text, and the text
/// itself nowhere left behind.
/// </summary>
public sealed class StringDigestKeyTests
{
    /// <summary>The stored form of valid UTF-8 text: tag 0x11, length and the text; from 2,048 bytes, tag 0x24 and its SHA-256.</summary>
    internal static byte[] Expected(byte[] utf8)
    {
        if (utf8.Length >= 2048)
        {
            return [0x24, .. SHA256.HashData(utf8)];
        }

        byte[] expected = new byte[5 + utf8.Length];
        expected[0] = 0x11;
        BinaryPrimitives.WriteInt32LittleEndian(expected.AsSpan(1), utf8.Length);
        utf8.CopyTo(expected, 5);
        return expected;
    }

    public static TheoryData<string> Texts() =>
    [
        new string('a', 2047),
        new string('a', 2048),
        new string('a', 70_000),

        // 683 characters of two UTF-8 bytes each: 1,366 bytes, written whole; 1,024 of them are 2,048 bytes, digested.
        new string('\u00e9', 683),
        new string('\u00e9', 1024),

        // Characters of three bytes and surrogate pairs of four, past the bound in bytes long before in characters.
        string.Concat(Enumerable.Repeat("\u6771\u4eac \U0001F642 ", 300)),
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_string_is_written_whole_below_the_bound_and_as_its_SHA256_from_it(string text)
    {
        Assert.Equal(Expected(Encoding.UTF8.GetBytes(text)), FromString(text));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_string_a_span_and_a_JSON_string_plain_or_escaped_give_the_same_bytes(string text)
    {
        byte[] expected = FromString(text);
        Assert.Equal(expected, FromString(text));
        Assert.Equal(expected, Write((ref CacheKeyWriter w) => w.WriteString(text.AsSpan())));
        Assert.Equal(expected, Write((ref CacheKeyWriter w) => AIValueKeyWriter.WriteJson(ref w, MeaiKeyTests.Json(JsonSerializer.Serialize(text)))));

        // Every character escaped: the reader unescapes the token into the key buffer before it is ended.
        string escaped = "\"" + string.Concat(text.Select(c => $"\\u{(int)c:x4}")) + "\"";
        Assert.Equal(expected, Write((ref CacheKeyWriter w) => AIValueKeyWriter.WriteJson(ref w, MeaiKeyTests.Json(escaped))));
    }

    [Fact]
    public void Long_strings_that_differ_in_one_character_anywhere_give_different_keys()
    {
        string text = new('p', 5000);
        byte[] key = FromString(text);
        foreach (int at in new[] { 0, 2047, 2048, 4999 })
        {
            char[] changed = text.ToCharArray();
            changed[at] = 'q';
            Assert.NotEqual(key, FromString(new string(changed)));
        }

        Assert.NotEqual(key, FromString(text + "p"));
        Assert.NotEqual(key, FromString(text[..^1]));
    }

    [Fact]
    public void The_threads_reused_SHA256_gives_the_one_shot_digest_call_after_call_on_every_thread()
    {
        var random = new Random(3);
        byte[][] inputs = Enumerable.Range(0, 200).Select(i => { byte[] b = new byte[random.Next(0, 6000)]; random.NextBytes(b); return b; }).ToArray();
        System.Threading.Tasks.Parallel.For(0, 4, _ =>
        {
            foreach (byte[] input in inputs)
            {
                Assert.Equal(SHA256.HashData(input), CacheKeyDigests.ComputeRemote(input));
                byte[] into = new byte[40];
                CacheKeyDigests.ComputeRemote(input, into);
                Assert.Equal(SHA256.HashData(input), into[..32]);
            }
        });
    }

    [Fact]
    public void Long_strings_new_on_every_call_are_hashed_without_allocating()
    {
        // New instances every time, as a server that deserializes each request gets: none is remembered.
        string[] requests = Enumerable.Range(0, 16 * AllocationProbe.Runs).Select(i => i + new string('r', 3000)).ToArray();
        int next = 0;
        long allocated = AllocationProbe.Measure(() => Utf8StringMemoTests.KeyLength(requests[next++]), out int length);
        Assert.Equal(33, length);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_digested_string_leaves_no_text_in_the_pooled_buffer_it_was_written_in(bool asJson)
    {
        // The private words at the end: the digest is written over the start of the text.
        string secret = new string('x', 5000) + " my private prompt";
        byte[] secretBytes = Encoding.UTF8.GetBytes("my private prompt");
        int size = CacheKeyWriter.MaxStringSize(secret);
        JsonElement json = MeaiKeyTests.Json("\"" + new string('x', 5000) + " \\u006dy private prompt\"");

        int length = PooledKeyBuffer.AssertReturnedWithout(secretBytes, size, (ref CacheKeyWriter writer) =>
        {
            if (asJson)
            {
                AIValueKeyWriter.WriteJson(ref writer, json);
            }
            else
            {
                writer.WriteString(secret);
            }
        });
        Assert.Equal(33, length);
    }

    private static byte[] FromString(string text) => Write((ref CacheKeyWriter w) => w.WriteString(text));

    private static byte[] Write(PooledKeyBuffer.KeyWrite write)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], 64);
        write(ref writer);
        return writer.ToArrayAndDispose();
    }
}
