using System;
using System.Text;

namespace LlmCache.Tests;

/// <summary>The canonical key writer's buffer handling.</summary>
public sealed class CacheKeyWriterTests
{
    [Theory]
    [InlineData(5_000)]
    [InlineData(70_000)]
    public void A_rented_buffer_goes_back_to_the_pool_without_the_prompt_in_it(int length)
    {
        string secret = "my private prompt " + new string('x', length);
        byte[] secretBytes = Encoding.UTF8.GetBytes("my private prompt");
        int size = CacheKeyWriter.MaxStringSize(secret);

        PooledKeyBuffer.AssertReturnedWithout(secretBytes, size, (ref CacheKeyWriter writer) =>
        {
            writer.WriteString(secret);
            writer.WriteString("x\uD800" + secret);
        });
    }

    [Fact]
    public void A_writer_opened_inside_another_on_the_same_thread_leaves_the_outer_keys_bytes_alone()
    {
        string first = new('a', 3000);
        string second = new('b', 3000);
        var outer = new CacheKeyWriter(stackalloc byte[8], CacheKeyWriter.MaxStringSize(first) * 2);
        outer.WriteString(first);
        var inner = new CacheKeyWriter(stackalloc byte[8], CacheKeyWriter.MaxStringSize(second));
        inner.WriteString(second);
        byte[] innerKey = inner.ToArrayAndDispose();
        outer.WriteString(first);
        byte[] outerKey = outer.ToArrayAndDispose();

        // The thread's buffer, given back by the outer writer, serves the next key.
        var next = new CacheKeyWriter(stackalloc byte[8], CacheKeyWriter.MaxStringSize(second));
        next.WriteString(second);
        Assert.Equal(innerKey, next.ToArrayAndDispose());
        Assert.Equal(Key(first, first), outerKey);
        Assert.Equal(Key(second), innerKey);
    }

    private static byte[] Key(params string[] values)
    {
        var writer = new CacheKeyWriter(new byte[100_000]);
        foreach (string value in values)
        {
            writer.WriteString(value);
        }

        return writer.WrittenSpan.ToArray();
    }

    public static TheoryData<decimal, decimal> EqualDecimals => new()
    {
        { 1.0m, 1.00m },
        { 1m, 1.0000000000000000000000000000m },
        { 0m, 0.000m },
        { 0m, decimal.Negate(0m) },
        { 0m, decimal.Negate(0.00m) },
        { 0m, new decimal(0, 0, 0, isNegative: true, scale: 28) },
        { -2.5m, -2.50m },
        { decimal.MaxValue, decimal.MaxValue / 1.0m },
        { 0.0000000000000000000000000001m, 0.0000000000000000000000000001m },
    };

    [Theory]
    [MemberData(nameof(EqualDecimals))]
    public void Equal_decimals_give_equal_keys_whatever_their_scale_or_the_sign_of_zero(decimal a, decimal b)
    {
        Assert.Equal(a, b);
        Assert.Equal(DecimalKey(a), DecimalKey(b));
    }

    [Fact]
    public void The_decimal_cases_really_differ_in_scale_and_sign_of_zero()
    {
        Assert.NotEqual(1.0m.Scale, 1.00m.Scale);
        Assert.True(decimal.IsNegative(decimal.Negate(0m)));
        Assert.True(decimal.IsNegative(new decimal(0, 0, 0, isNegative: true, scale: 28)));
        Assert.Equal(28, new decimal(0, 0, 0, isNegative: true, scale: 28).Scale);
    }

    [Fact]
    public void Different_decimals_give_different_keys()
    {
        Assert.NotEqual(DecimalKey(1m), DecimalKey(-1m));
        Assert.NotEqual(DecimalKey(1.1m), DecimalKey(1.01m));
        Assert.NotEqual(DecimalKey(0m), DecimalKey(0.0000000000000000000000000001m));
    }

    private static string DecimalKey(decimal value)
    {
        var writer = new CacheKeyWriter(stackalloc byte[32]);
        try
        {
            writer.Write(value);
            return Convert.ToHexString(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Fact]
    public void Growing_past_the_first_buffer_keeps_every_byte()
    {
        var small = new CacheKeyWriter(stackalloc byte[8]);
        var large = new CacheKeyWriter(new byte[64 * 1024]);
        try
        {
            for (int i = 0; i < 500; i++)
            {
                small.WriteString("item " + i);
                large.WriteString("item " + i);
                small.Write(i);
                large.Write(i);
            }

            Assert.True(small.WrittenSpan.SequenceEqual(large.WrittenSpan));
        }
        finally
        {
            small.Dispose();
            large.Dispose();
        }
    }

    [Fact]
    public void A_key_longer_than_its_size_hint_grows_in_the_threads_buffer_and_keeps_every_byte()
    {
        // Stack memory, then the thread's buffer, then a larger thread buffer, then (past 64 KB) the pool.
        string[] parts = [new string('a', 600), new string('b', 3000), new string('c', 9000), new string('d', 70_000)];
        Span<byte> stack = stackalloc byte[1024];
        for (int round = 0; round < 2; round++)
        {
            var writer = new CacheKeyWriter(stack, 1024);
            try
            {
                for (int i = 0; i < parts.Length; i++)
                {
                    writer.WriteString(parts[i]);
                    Assert.Equal(Key(parts[..(i + 1)]), writer.WrittenSpan.ToArray());
                }
            }
            finally
            {
                writer.Dispose();
            }
        }

        // The thread's buffer was given back: the next key larger than the stack takes it, and another inside it the pool.
        var outer = new CacheKeyWriter(default, 2048);
        var inner = new CacheKeyWriter(stackalloc byte[8], 8);
        inner.WriteString(parts[1]);
        outer.WriteString(parts[2]);
        Assert.Equal(Key(parts[1]), inner.ToArrayAndDispose());
        Assert.Equal(Key(parts[2]), outer.ToArrayAndDispose());
    }

    [Theory]
    [InlineData("")]
    [InlineData("user")]
    [InlineData("\u007f")]
    [InlineData("\u0080")]
    [InlineData("caf\u00e9")]
    [InlineData("gpt-4o-mini-2024")]
    [InlineData("gpt-4o-mini-2024x")]
    [InlineData("abcdefghijklmno\u00e9")]
    [InlineData("\u6771\u4eac")]
    public void Short_strings_are_written_as_their_UTF8_with_its_length(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        byte[] expected = new byte[5 + utf8.Length];
        expected[0] = 0x11;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(expected.AsSpan(1), utf8.Length);
        utf8.CopyTo(expected, 5);
        Assert.Equal(expected, Key(value));
    }

    [Fact]
    public void A_short_string_with_a_lone_surrogate_is_written_as_its_UTF16_code_units()
    {
        Assert.Equal(Convert.FromHexString("1203000000610000D86200"), Key("a\uD800b"));
        Assert.NotEqual(Key("a\uD800b"), Key("a\uDC00b"));
    }

    [Fact]
    public void Unordered_elements_written_in_place_give_the_bytes_of_WriteUnordered()
    {
        var random = new Random(8);
        for (int round = 0; round < 300; round++)
        {
            // Short and long strings, prefixes of each other, duplicates, and enough bytes to grow past 64.
            string[] items = new string[random.Next(0, 40)];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = random.Next(4) == 0 && i > 0 ? items[random.Next(i)] : new string((char)('a' + random.Next(3)), random.Next(0, 30));
            }

            Assert.Equal(WithArrays(items), InPlace(items));
        }
    }

    [Fact]
    public void An_unordered_input_whose_count_is_wrong_fails_rather_than_writing_a_wrong_key()
    {
        var writer = new CacheKeyWriter(stackalloc byte[64]);
        try
        {
            UnorderedKeyElements elements = writer.BeginUnordered(1);
            writer.BeginUnorderedElement(ref elements);
            writer.Write(1);
            bool tooMany = false;
            try
            {
                writer.BeginUnorderedElement(ref elements);
            }
            catch (InvalidOperationException)
            {
                tooMany = true;
            }

            UnorderedKeyElements two = writer.BeginUnordered(2);
            writer.BeginUnorderedElement(ref two);
            writer.Write(2);
            bool tooFew = false;
            try
            {
                writer.EndUnordered(ref two);
            }
            catch (InvalidOperationException)
            {
                tooFew = true;
            }

            Assert.True(tooMany, "a second element of a collection that counted one was accepted");
            Assert.True(tooFew, "a collection that counted two ended after one");
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static byte[] WithArrays(string[] items)
    {
        var elements = new byte[items.Length][];
        for (int i = 0; i < items.Length; i++)
        {
            var element = new CacheKeyWriter(Span<byte>.Empty);
            element.WriteString(items[i]);
            element.Write(i % 3);
            elements[i] = element.ToArrayAndDispose();
        }

        var writer = new CacheKeyWriter(stackalloc byte[64]);
        writer.Write(7);
        writer.WriteUnordered(elements);
        writer.Write(8);
        byte[] bytes = writer.WrittenSpan.ToArray();
        writer.Dispose();
        return bytes;
    }

    private static byte[] InPlace(string[] items)
    {
        var writer = new CacheKeyWriter(stackalloc byte[64]);
        writer.Write(7);
        UnorderedKeyElements elements = writer.BeginUnordered(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            writer.BeginUnorderedElement(ref elements);
            writer.WriteString(items[i]);
            writer.Write(i % 3);
        }

        writer.EndUnordered(ref elements);
        writer.Write(8);
        byte[] bytes = writer.WrittenSpan.ToArray();
        writer.Dispose();
        return bytes;
    }
}
