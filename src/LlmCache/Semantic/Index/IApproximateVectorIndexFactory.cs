namespace LlmCache;

/// <summary>Makes the <see cref="IApproximateVectorIndex"/> of a partition that has grown past the exact scan's size.</summary>
public interface IApproximateVectorIndexFactory
{
    /// <summary>A new, empty index of vectors of <paramref name="dimensions"/> floats.</summary>
    /// <param name="dimensions">The vectors' length.</param>
    /// <param name="expectedRecords">How many records the partition holds now: a hint for the first allocation.</param>
    IApproximateVectorIndex Create(int dimensions, int expectedRecords);
}
