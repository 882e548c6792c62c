using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// A remote-tier store in which every read misses and every write is dropped, so each call through it is a miss
/// that costs what LlmCache adds around the implementation: key, SHA-256, guard, single flight, serialisation of the
/// answer and the write, without a network. Like the Redis store, it bounds its own operations, so the guard arms no timer.
/// The miss tests use it, and the miss benchmarks link this file.
/// </summary>
internal sealed class MissingStore : ITimeBoundedCacheStore
{
    public string Name => "missing";

    public TimeSpan OperationTimeout => TimeSpan.FromSeconds(1);

    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new((CacheEntry?)null);

    public ValueTask SetAsync(CacheStoreKey key, CacheEntry value, CancellationToken cancellationToken = default) => default;

    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(false);

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => default;
}
