using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.AI;

/// <summary>Adds LlmCache to an embedding generator pipeline.</summary>
public static class LlmCacheEmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Caches each input's vector (see <see cref="LlmCachingEmbeddingGenerator{TInput, TEmbedding}"/>) through
    /// <paramref name="runtime"/>, else the <see cref="LlmCacheRuntime"/> registered in the container (<c>AddLlmCache</c>),
    /// else <see cref="LlmCacheRuntime.Shared"/>.
    /// </summary>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseLlmCache<TInput, TEmbedding>(
        this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder,
        LlmCacheRuntime? runtime = null,
        Action<LlmCachingEmbeddingGeneratorOptions>? configure = null)
        where TEmbedding : Embedding
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LlmCachingEmbeddingGeneratorOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) =>
            new LlmCachingEmbeddingGenerator<TInput, TEmbedding>(inner, runtime ?? services.GetService<LlmCacheRuntime>(), options));
    }
}
