using System;

namespace LlmCache;

/// <summary>
/// An <see cref="InProcessVectorIndex"/> that compares the query with every live record of its partition (a SIMD dot
/// product over unit vectors, stored side by side). Exact, and fast for the partition sizes one prompt template and
/// model produce; it holds at most <see cref="InProcessVectorIndex.MaxRecords"/> records and drops the least recently
/// written beyond that. For large partitions, an <see cref="InProcessVectorIndex"/> with an
/// <see cref="IApproximateVectorIndexFactory"/> switches to an approximate index.
/// </summary>
public sealed class ExactVectorIndex : InProcessVectorIndex
{
    /// <summary>Creates an index.</summary>
    /// <param name="maxRecords">The most records kept; the least recently written go first.</param>
    /// <param name="timeProvider">The clock for expiry; the system clock when <c>null</c>.</param>
    public ExactVectorIndex(int maxRecords = 100_000, TimeProvider? timeProvider = null)
        : base(maxRecords, timeProvider)
    {
    }
}
