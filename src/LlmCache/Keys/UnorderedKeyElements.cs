using System;

namespace LlmCache;

/// <summary>
/// Where each element of an unordered collection starts in a <see cref="CacheKeyWriter"/>'s bytes, between
/// <see cref="CacheKeyWriter.BeginUnordered"/> and <see cref="CacheKeyWriter.EndUnordered"/>, which puts the
/// elements in their canonical order. The generated key builders use it; a custom key writer can too.
/// </summary>
public struct UnorderedKeyElements
{
    // Rented from the pool: the first Count + 1 entries are the elements' start positions (and the end),
    // the next Count the order EndUnordered sorts them into.
    internal int[]? Positions;
    internal int Count;
    internal int Written;

    internal UnorderedKeyElements(int[]? positions, int count)
    {
        Positions = positions;
        Count = count;
        Written = 0;
    }

    /// <summary>
    /// Sorts <paramref name="order"/> (element numbers) by the elements' bytes, compared as
    /// <see cref="MemoryExtensions.SequenceCompareTo{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> does. Heapsort: no
    /// allocation, and O(n log n) comparisons whatever the collection's iteration order.
    /// </summary>
    internal static void Sort(Span<int> order, ReadOnlySpan<int> starts, ReadOnlySpan<byte> bytes)
    {
        for (int root = (order.Length / 2) - 1; root >= 0; root--)
        {
            SiftDown(order, root, order.Length, starts, bytes);
        }

        for (int end = order.Length - 1; end > 0; end--)
        {
            (order[0], order[end]) = (order[end], order[0]);
            SiftDown(order, 0, end, starts, bytes);
        }
    }

    private static void SiftDown(Span<int> order, int root, int length, ReadOnlySpan<int> starts, ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= length)
            {
                return;
            }

            if (child + 1 < length && Compare(order[child + 1], order[child], starts, bytes) > 0)
            {
                child++;
            }

            if (Compare(order[root], order[child], starts, bytes) >= 0)
            {
                return;
            }

            (order[root], order[child]) = (order[child], order[root]);
            root = child;
        }
    }

    private static int Compare(int left, int right, ReadOnlySpan<int> starts, ReadOnlySpan<byte> bytes) =>
        Element(left, starts, bytes).SequenceCompareTo(Element(right, starts, bytes));

    private static ReadOnlySpan<byte> Element(int index, ReadOnlySpan<int> starts, ReadOnlySpan<byte> bytes) =>
        bytes.Slice(starts[index] - starts[0], starts[index + 1] - starts[index]);
}
