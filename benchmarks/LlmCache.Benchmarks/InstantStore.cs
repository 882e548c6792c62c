using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Benchmarks;

/// <summary>
/// A remote-tier store that answers every read at once with one entry, so a hit through it costs exactly what
/// LlmCache itself adds to a store's answer: key, SHA-256, guard, runtime and deserialisation, without the network.
/// Like the Redis store, it bounds its own operations, so the guard arms no timer.
/// </summary>
internal sealed class InstantStore(CacheEntry entry) : ITimeBoundedCacheStore
{
    public string Name => "instant";

    public TimeSpan OperationTimeout => TimeSpan.FromSeconds(1);

    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(entry);

    public ValueTask SetAsync(CacheStoreKey key, CacheEntry value, CancellationToken cancellationToken = default) => default;

    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(false);

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => default;
}
