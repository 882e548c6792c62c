using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Embeddings.Tests.Semantic;

/// <summary>
/// What two processes share for RedisSemantic and DualSemantic, in process: a store standing in for Redis (the
/// memory store's entry API, named "shared") and one vector index standing in for the Redis-backed index.
/// </summary>
internal sealed class SharedStandIns
{
    public SharedStore Store { get; } = new();

    public ExactVectorIndex Index { get; } = new();

    /// <summary>A runtime of one "process": its own memory tier and in-process index, the shared store and index.</summary>
    public LlmCacheRuntime CreateRuntime(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var options = new LlmCacheOptions();
        options.Semantic.EmbeddingGenerator = generator;
        options.Semantic.Index = new ExactVectorIndex();
        options.Semantic.SharedIndex = Index;
        options.UseStore(CacheType.Redis, Store);
        return new LlmCacheRuntime(options);
    }

    internal sealed class SharedStore : ICacheStore
    {
        private readonly MemoryCacheStore _entries = new();

        public string Name => "shared";

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => _entries.GetAsync(key, cancellationToken);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) => _entries.SetAsync(key, entry, cancellationToken);

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => _entries.RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => _entries.ClearNamespaceAsync(@namespace, cancellationToken);
    }
}

/// <summary>An embedding generator that counts its calls and can be made to fail.</summary>
internal sealed class CountingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public bool Fail { get; set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Fail ? throw new InvalidOperationException("The embedding service is down.") : inner.GenerateAsync(values, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

    public void Dispose()
    {
    }
}
