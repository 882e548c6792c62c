using System;

namespace LlmCache;

/// <summary>
/// An approximate nearest-neighbour index of one partition (an HNSW graph, for instance) that
/// <see cref="InProcessVectorIndex"/> switches a partition to once it holds
/// <see cref="InProcessVectorIndex.ApproximateThreshold"/> records. It only finds candidates: the in-process index keeps
/// every vector, drops expired candidates and scores the rest exactly.
/// </summary>
/// <remarks>
/// Concurrency contract: <see cref="Add"/>, <see cref="AddMany"/>, <see cref="Remove"/> and
/// <see cref="IDisposable.Dispose"/> are called by one writer at a time with no search running; <see cref="Search"/>
/// may be called by several threads at once.
/// </remarks>
public interface IApproximateVectorIndex : IDisposable
{
    /// <summary>Adds <paramref name="vector"/> (unit length) under <paramref name="key"/>, a key not in the index.</summary>
    void Add(long key, ReadOnlySpan<float> vector);

    /// <summary>
    /// Adds <c>keys.Length</c> vectors (unit length, side by side in <paramref name="vectors"/>) under keys not in the
    /// index. Called while no other call uses the index (a background build, before searches switch to it), so an
    /// implementation may add them on several threads; this one adds them one at a time.
    /// </summary>
    void AddMany(ReadOnlyMemory<long> keys, ReadOnlyMemory<float> vectors)
    {
        if (keys.IsEmpty)
        {
            return;
        }

        int dimensions = vectors.Length / keys.Length;
        for (int i = 0; i < keys.Length; i++)
        {
            Add(keys.Span[i], vectors.Span.Slice(i * dimensions, dimensions));
        }
    }

    /// <summary>Removes <paramref name="key"/>; a key the index does not hold is ignored.</summary>
    void Remove(long key);

    /// <summary>
    /// Writes the keys nearest to <paramref name="query"/> (unit length, cosine similarity) into <paramref name="keys"/>,
    /// nearest first, and returns how many it wrote (at most <c>keys.Length</c>).
    /// </summary>
    int Search(ReadOnlySpan<float> query, Span<long> keys);

    /// <summary>An estimate of the memory the index holds, in bytes.</summary>
    long EstimatedBytes { get; }
}
