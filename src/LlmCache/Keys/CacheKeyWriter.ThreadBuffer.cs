using System;
using System.Numerics;

namespace LlmCache;

// A key too big for the stack goes into a buffer of the thread's own, reused by the thread's next key: no rent and
// return, and no clearing, since that buffer is never handed to code outside LlmCache. A pooled array is, so the
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
            buffer = _threadBuffer = new byte[Math.Max(4096, (int)BitOperations.RoundUpToPowerOf2((uint)size))];
        }

        _threadBufferTaken = true;
        return buffer;
    }

    private static void ReleaseThreadBuffer() => _threadBufferTaken = false;
}
