using System;
using System.Numerics;

namespace LlmCache;

// A key too big for the stack goes into a buffer of the thread's own, reused by the thread's next key: no rent and
// return, and no clearing, since that buffer is never handed to code outside LlmCache. A key that outgrows its size
// hint moves into it too, and a key that outgrows it gets a larger one, which the thread then keeps. A pooled array is, so the
// pool is used, and cleared, only when the thread's buffer is taken (a writer inside another) or the key is huge.
public ref partial struct CacheKeyWriter
{
    private const int MaxThreadBufferLength = 64 * 1024;

    [ThreadStatic]
    private static byte[]? _threadBuffer;

    [ThreadStatic]
    private static bool _threadBufferTaken;

    private static byte[]? TakeThreadBuffer(int size)
    {
        if (_threadBufferTaken || size > MaxThreadBufferLength)
        {
            return null;
        }

        byte[]? buffer = _threadBuffer;
        if (buffer is null || buffer.Length < size)
        {
            buffer = _threadBuffer = NewThreadBuffer(size);
        }

        _threadBufferTaken = true;
        return buffer;
    }

    // The writer holding the thread's buffer needs a larger one; null when that would pass the limit.
    private static byte[]? EnlargeThreadBuffer(int size) =>
        size > MaxThreadBufferLength ? null : _threadBuffer = NewThreadBuffer(size);

    private static byte[] NewThreadBuffer(int size) => new byte[Math.Max(4096, (int)BitOperations.RoundUpToPowerOf2((uint)size))];

    private static void ReleaseThreadBuffer() => _threadBufferTaken = false;
}
