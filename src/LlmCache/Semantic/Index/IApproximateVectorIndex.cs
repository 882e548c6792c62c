using System;

namespace LlmCache;

/// <summary>
/// An approximate nearest-neighbour index of one partition (an HNSW graph, for instance) that
/// <see cref="InProcessVectorIndex"/> switches a partition to once it holds
/// <see cref="InProcessVectorIndex.ApproximateThreshold"/> records. It only finds candidates: the in-process index keeps
/// every vector, drops expired candidates and scores the rest exactly.
/// </summary>
/// <remarks>
/// Concurrency contract: <see cref="Add"/>, <see cref="Remove"/> and <see cref="IDisposable.Dispose"/> are called by one
/// writer at a time with no search running; <see cref="Search"/> may be called by several threads at once.
/// </remarks>
public interface IApproximateVectorIndex : IDisposable
{
    /// <summary>Adds <paramref name="vector"/> (unit length) under <paramref name="key"/>, a key not in the index.</summary>
    void Add(long key, ReadOnlySpan<float> vector);

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
