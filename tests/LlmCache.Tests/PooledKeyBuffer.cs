using System;
using System.Buffers;

namespace LlmCache.Tests;

/// <summary>Writes into a key writer whose buffer comes from the shared pool, and checks what the pool gets back.</summary>
internal static class PooledKeyBuffer
{
    internal delegate void KeyWrite(ref CacheKeyWriter writer);

    /// <summary>
    /// Runs <paramref name="write"/> on a writer of <paramref name="size"/> bytes that rents from the pool, disposes it,
    /// then asserts the array the pool hands out next holds no <paramref name="secret"/>. Returns the key's length.
    /// </summary>
    internal static int AssertReturnedWithout(ReadOnlySpan<byte> secret, int size, KeyWrite write)
    {
        // A writer already open holds the thread's own buffer, so the next one rents from the pool (as a key over 64 KB does).
        var outer = new CacheKeyWriter(stackalloc byte[8], 2048);
        var writer = new CacheKeyWriter(stackalloc byte[64], size);
        write(ref writer);
        int length = writer.Length;
        writer.Dispose();
        outer.Dispose();

        // The shared pool hands the array just returned on this thread back first.
        byte[] again = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Assert.Equal(-1, again.AsSpan().IndexOf(secret));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(again);
        }

        return length;
    }
}
