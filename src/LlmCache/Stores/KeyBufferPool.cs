using System;
using System.Collections.Generic;
using System.Numerics;

namespace LlmCache;

/// <summary>
/// The memory of the memory store's retired keys, kept for its next ones. A miss of a full store keeps a key of a few
/// kilobytes and evicts another: allocated anew each time, those keys were most of what such a miss cost (fresh pages
/// to fault in, and a gen-2 collection every few thousand misses). Buffers come in size classes an eighth of a power
/// of two apart, so a key gets a buffer at most an eighth longer than itself; new ones go to the pinned heap, where
/// long-lived buffers belong (collected with gen 2, never copied).
/// </summary>
/// <remarks>
/// Bounded: it keeps at most <c>maxBuffers</c> buffers and <c>maxBytes</c> bytes (the store passes a tenth of its
/// limits, what one eviction frees), and drops what would pass either. Only the store's misses and removals use it,
/// never a hit, so a lock is cheap enough. Its buffers still hold the bytes of the keys they held (prompts); like the
/// key writer's own buffer they are not cleared, because they never leave the store and a key reads only its own length.
/// </remarks>
internal sealed class KeyBufferPool(long maxBytes, int maxBuffers)
{
    private const int SmallestBuffer = 64;

    private readonly Dictionary<int, Stack<byte[]>> _free = new();
    private readonly object _lock = new();
    private long _bytes;
    private int _count;
    private bool _closed;

    /// <summary>How many bytes the pool holds.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>A buffer of at least <paramref name="length"/> bytes, of the size class of <paramref name="length"/>; its contents are undefined.</summary>
    public byte[] Rent(int length)
    {
        int size = SizeClass(length);
        lock (_lock)
        {
            if (_free.TryGetValue(size, out Stack<byte[]>? free) && free.TryPop(out byte[]? buffer))
            {
                _bytes -= buffer.Length;
                _count--;
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(size, pinned: true);
    }

    /// <summary>Keeps <paramref name="buffer"/> (from <see cref="Rent"/>, no longer read by anyone) for a later <see cref="Rent"/>, if the bounds allow.</summary>
    public void Return(byte[] buffer)
    {
        lock (_lock)
        {
            if (_closed || _count >= maxBuffers || _bytes + buffer.Length > maxBytes)
            {
                return;
            }

            if (!_free.TryGetValue(buffer.Length, out Stack<byte[]>? free))
            {
                _free[buffer.Length] = free = new Stack<byte[]>();
            }

            free.Push(buffer);
            _bytes += buffer.Length;
            _count++;
        }
    }

    /// <summary>Drops every buffer and keeps none returned later: the store is disposed.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _free.Clear();
            _bytes = 0;
            _count = 0;
        }
    }

    /// <summary>The buffer length for a key of <paramref name="length"/> bytes: rounded up to an eighth of its power of two.</summary>
    internal static int SizeClass(int length)
    {
        if (length <= SmallestBuffer)
        {
            return SmallestBuffer;
        }

        long step = 1L << (BitOperations.Log2((uint)(length - 1)) - 3);
        long size = (length + step - 1) & ~(step - 1);
        return size <= Array.MaxLength ? (int)size : length;
    }
}
