using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>A store that is down: every operation throws.</summary>
internal sealed class FailingStore : ICacheStore
{
    public string Name => "failing";

    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => throw new InvalidOperationException("down");

    public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) => throw new InvalidOperationException("down");

    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => throw new InvalidOperationException("down");

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => throw new InvalidOperationException("down");
}
