using System;
using System.Buffers;
using System.Text;

namespace LlmCache.Tests;

/// <summary>The canonical key writer's buffer handling.</summary>
public sealed class CacheKeyWriterTests
{
    [Fact]
    public void A_rented_buffer_goes_back_to_the_pool_without_the_prompt_in_it()
    {
        string secret = "my private prompt " + new string('x', 5000);
        byte[] secretBytes = Encoding.UTF8.GetBytes("my private prompt");
        int size = CacheKeyWriter.MaxStringSize(secret);

        var writer = new CacheKeyWriter(stackalloc byte[64], size);
        writer.WriteString(secret);
        writer.WriteString("x\uD800" + secret);
        writer.Dispose();

        // The shared pool hands the array just returned on this thread back first.
        byte[] again = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Assert.Equal(-1, again.AsSpan().IndexOf(secretBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(again);
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
}
