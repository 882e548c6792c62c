using System;
using Microsoft.Extensions.AI;

namespace LlmCache;

/// <summary>
/// Settings of the semantic cache types (<see cref="CacheType.Semantic"/>, <see cref="CacheType.RedisSemantic"/>,
/// <see cref="CacheType.DualSemantic"/>): the model that embeds prompts, the default similarity threshold, the
/// precision guard and the vector indexes. See docs/semantic/semantic-cache.md.
/// </summary>
public sealed class SemanticCacheOptions
{
    /// <summary>The default of <see cref="SimilarityThreshold"/>: 0.8, the reference's example, measured with the guard in docs/semantic/precision.md.</summary>
    public const double DefaultSimilarityThreshold = 0.8;

    /// <summary>
    /// Embeds the text of a call that missed the exact key: a local model (<c>MiniLmEmbeddingGenerator</c> from the
    /// package LlmCache.Embeddings.MiniLM, no network) or any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>
    /// (OpenAI, Azure, Ollama), the reference's <c>redis_semantic_cache_embedding_model</c>. Required by the semantic
    /// types; a semantic method without one fails on its first call with a message that says so. Not disposed by the runtime.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; set; }

    /// <summary>
    /// The cosine similarity at or above which an earlier prompt's answer may serve a new one, for methods whose
    /// attribute sets no <see cref="LlmCachedAttribute.SimilarityThreshold"/>: 0 lets anything match, 1 only an
    /// identical prompt. <see cref="DefaultSimilarityThreshold"/> (0.8) unless set; configuration's <c>similarity_threshold</c>.
    /// </summary>
    public double SimilarityThreshold { get; set; } = DefaultSimilarityThreshold;

    /// <summary>
    /// Whether a semantic hit must also pass the <see cref="SemanticPrecisionGuard"/> (numbers, negation, quoted
    /// strings, names, opposites, a swapped word): on by default. A method's <see cref="LlmCachedAttribute.PrecisionGuard"/> overrides it.
    /// </summary>
    public bool PrecisionGuard { get; set; } = true;

    /// <summary>
    /// The in-process vector index of <see cref="CacheType.Semantic"/> and <see cref="CacheType.DualSemantic"/>: an
    /// <see cref="ExactVectorIndex"/> unless replaced. Kept across <see cref="LlmCacheRuntime.Update"/>; not disposed by the runtime.
    /// </summary>
    public IVectorIndex Index { get; set; } = new ExactVectorIndex();

    /// <summary>
    /// The vector index every process shares, for <see cref="CacheType.RedisSemantic"/> and <see cref="CacheType.DualSemantic"/>:
    /// records point at entries of the store registered for <see cref="CacheType.Redis"/>, so each process finds
    /// the others' prompts. Any <see cref="IVectorIndex"/>; <c>null</c> until set, and those types then fail on their first call.
    /// </summary>
    public IVectorIndex? SharedIndex { get; set; }

    /// <summary>How many nearest records a lookup considers, most similar first, before it gives up: the guard may reject the nearest.</summary>
    internal const int Candidates = 4;

    /// <summary>Whether <paramref name="threshold"/> is a similarity threshold: a number from 0 to 1.</summary>
    internal static bool IsThreshold(double threshold) => threshold >= 0 && threshold <= 1;

    /// <summary>Whether <paramref name="type"/> is one of the semantic types.</summary>
    public static bool IsSemantic(CacheType type) => type is CacheType.Semantic or CacheType.RedisSemantic or CacheType.DualSemantic;

    /// <summary>What <paramref name="type"/> lacks to work, or <c>null</c>.</summary>
    internal string? Problem(CacheType type)
    {
        if (EmbeddingGenerator is null)
        {
            return $"CacheType.{type} embeds prompts, and no embedding generator is set. Set LlmCacheOptions.Semantic.EmbeddingGenerator, for example to new MiniLmEmbeddingGenerator() from the package LlmCache.Embeddings.MiniLM (a local model, no network).";
        }

        if (type is CacheType.RedisSemantic or CacheType.DualSemantic && SharedIndex is null)
        {
            return $"CacheType.{type} finds other processes' prompts through a shared vector index, and none is set. Set LlmCacheOptions.Semantic.SharedIndex (a Redis-backed index from LlmCache.Redis, or any IVectorIndex every process shares).";
        }

        return null;
    }

    internal void Validate()
    {
        if (!IsThreshold(SimilarityThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(SimilarityThreshold), SimilarityThreshold, "LlmCache:SimilarityThreshold must be a number from 0 to 1 (1 matches only identical prompts).");
        }

        ArgumentNullException.ThrowIfNull(Index, "LlmCacheOptions.Semantic.Index");
    }

    internal SemanticCacheOptions Clone() => (SemanticCacheOptions)MemberwiseClone();
}
