using System;
using System.Buffers.Binary;
using System.Linq;
using System.Text;

namespace LlmCache.Tests;

/// <summary>
/// The remembered key bytes of long strings (<see cref="Utf8StringMemo"/>): always exactly what writing the string
/// afresh gives, and nothing allocated for strings that are new on every call.
/// </summary>
public sealed class Utf8StringMemoTests
{
    public static TheoryData<string> Strings() =>
    [
        new string('x', Utf8StringMemo.MinLength),
        string.Concat(Enumerable.Repeat("café, 東京 and 🙂; ", 60)),
        "x\uD800" + new string('y', 1000),
        new string('z', 16 * 1024),
        new string('w', 16 * 1024 + 1),
        new string('v', Utf8StringMemo.MinLength - 1),
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_string_written_again_as_the_same_instance_gives_the_bytes_of_a_fresh_write(string value)
    {
        byte[] fresh = FromSpan(value);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(fresh, FromString(value));
        }

        // The stored format, as before the memo: tag, UTF-8 length, UTF-8 (valid text); or, from 2,048 bytes of
        // UTF-8, tag and the SHA-256 of the UTF-8.
        if (!value.Contains('\uD800'))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            Assert.Equal(StringDigestKeyTests.Expected(utf8), fresh);
        }
    }

    [Fact]
    public void Other_instances_get_their_own_bytes_whatever_the_instances_written_before()
    {
        string first = new('a', 2000);
        string same = new('a', 2000);
        string other = new('b', 2000);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(FromSpan(first), FromString(first));
            Assert.Equal(FromSpan(same), FromString(same));
            Assert.Equal(FromSpan(other), FromString(other));
        }

        Assert.NotEqual(FromString(first), FromString(other));
    }

    [Fact]
    public void Strings_new_on_every_call_are_not_remembered_so_their_keys_allocate_nothing()
    {
        // A server that deserializes each request gets new string instances every time, never seen twice.
        string[] requests = Enumerable.Range(0, 4 * AllocationProbe.Runs).Select(i => i + new string('r', 1500)).ToArray();
        int next = 0;
        long allocated = AllocationProbe.Measure(() => KeyLength(requests[next++]), out int length);
        Assert.Equal(5 + requests[next - 1].Length, length);
        Assert.Equal(0, allocated);
    }

    internal static int KeyLength(string value)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], 64);
        try
        {
            writer.WriteString(value);
            return writer.Length;
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static byte[] FromString(string value)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], 64);
        writer.WriteString(value);
        return writer.ToArrayAndDispose();
    }

    private static byte[] FromSpan(string value)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64], 64);
        writer.WriteString(value.AsSpan());
        return writer.ToArrayAndDispose();
    }
}
