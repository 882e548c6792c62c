namespace LlmCache.VectorIndex.USearch;

/// <summary>
/// Makes USearch HNSW indexes for the large partitions of an <see cref="InProcessVectorIndex"/>:
/// <c>new InProcessVectorIndex(approximateIndex: new USearchIndexFactory())</c>.
/// </summary>
public sealed class USearchIndexFactory : IApproximateVectorIndexFactory
{
    private readonly USearchIndexOptions _options;

    /// <summary>A factory with the default graph settings.</summary>
    public USearchIndexFactory()
        : this(new USearchIndexOptions())
    {
    }

    /// <summary>A factory with the given graph settings.</summary>
    public USearchIndexFactory(USearchIndexOptions options)
    {
        System.ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <inheritdoc />
    public IApproximateVectorIndex Create(int dimensions, int expectedRecords) => new USearchApproximateIndex(dimensions, expectedRecords, _options);
}
