using System;
using System.Buffers;

namespace LlmCache.Proxy;

/// <summary>
/// A growing byte buffer rented from the shared pool, for what a request writes per request (its canonical key):
/// nothing allocated once the pool is warm. It holds prompts, so the pool gets it back cleared.
/// </summary>
public struct PooledBytes : IDisposable
{
    private const int FirstSize = 1024;

    private byte[]? _array;
    private int _length;

    /// <summary>How many bytes are written.</summary>
    public readonly int Length => _length;

    /// <summary>The bytes written.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    /// <summary>Writes one byte.</summary>
    public void Write(byte value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>At least <paramref name="size"/> bytes to write into; <see cref="Advance"/> says how many were.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_array is null || _array.Length - _length < size)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(FirstSize, Math.Max(_length + size, (_array?.Length ?? 0) * 2)));
            if (_array is { } old)
            {
                old.AsSpan(0, _length).CopyTo(larger);
                Return(old, _length);
            }

            _array = larger;
        }

        return _array.AsSpan(_length);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Drops what was written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        _array.AsSpan(length, _length - length).Clear();
        _length = length;
    }

    /// <summary>Gives the array back, cleared.</summary>
    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            Return(array, _length);
            _length = 0;
        }
    }

    private static void Return(byte[] array, int used)
    {
        array.AsSpan(0, used).Clear();
        ArrayPool<byte>.Shared.Return(array);
    }
}
