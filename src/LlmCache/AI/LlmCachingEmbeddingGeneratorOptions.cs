namespace LlmCache.AI;

/// <summary>How <see cref="LlmCachingEmbeddingGenerator{TInput, TEmbedding}"/> caches: the attribute's settings, for a pipeline.</summary>
public sealed class LlmCachingEmbeddingGeneratorOptions
{
    /// <summary>Where entries are kept; the runtime's default type unless set.</summary>
    public CacheType Type { get; set; }

    /// <summary>The TTL in seconds; 0 for the store's default.</summary>
    public int Ttl { get; set; }

    /// <summary>The namespace, or <c>null</c> for the runtime's.</summary>
    public string? Namespace { get; set; }

    /// <summary>Part of every key: change it to retire the entries this middleware stored.</summary>
    public int KeyVersion { get; set; }
}
