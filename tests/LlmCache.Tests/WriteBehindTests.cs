using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// <see cref="LlmCacheOptions.WriteBehind"/>: a miss returns the implementation's answer while its write to the
/// remote tier is still held by the store; the key's next caller meanwhile gets that answer without a second call;
/// per-call no-store still writes nothing; a failed write is counted; flushing and disposal wait for the writes.
/// </summary>
public sealed class WriteBehindTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Message[] Messages = [new("user", "Which gate for the 14:05 to Istanbul?")];

    [Fact]
    public async Task A_miss_returns_before_its_write_lands_and_the_next_caller_shares_its_answer()
    {
        var store = new HeldStore();
        LlmCacheRuntime runtime = WriteBehind(store);
        var service = new RemoteChatService(runtime);

        string answer = await service.AskAsync(Messages).AsTask().WaitAsync(Patience);
        await store.WriteStarted.WaitAsync(Patience);
        string again = await service.AskAsync(Messages).AsTask().WaitAsync(Patience);

        Assert.Equal(answer, again);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, store.Writes);

        store.Release();
        await runtime.FlushWritesAsync().WaitAsync(Patience);
        Assert.Equal(1, store.Writes);
        var outcome = new CacheOutcome();
        Assert.Equal(answer, await service.AskAsync(Messages, new CacheControl { Outcome = outcome }));
        Assert.Equal(HeldStore.TierName, outcome.Tier);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task No_store_writes_nothing_behind_either()
    {
        var store = new HeldStore();
        store.Release();
        LlmCacheRuntime runtime = WriteBehind(store);
        var service = new RemoteChatService(runtime);

        await service.AskAsync(Messages, new CacheControl { NoStore = true });
        await runtime.FlushWritesAsync().WaitAsync(Patience);

        Assert.Equal(0, store.Writes);
        Assert.False(store.WriteStarted.IsCompleted);
    }

    [Fact]
    public async Task A_failed_write_behind_is_counted_as_an_error_of_the_tier()
    {
        var store = new HeldStore { Fails = true };
        store.Release();
        LlmCacheRuntime runtime = WriteBehind(store);
        var service = new RemoteChatService(runtime);

        string answer = await service.AskAsync(Messages);
        await runtime.FlushWritesAsync().WaitAsync(Patience);

        Assert.StartsWith("1 messages", answer, StringComparison.Ordinal);
        Assert.Equal(1, runtime.GetStatistics().Tiers[HeldStore.TierName].Errors);
    }

    [Fact]
    public async Task Disposing_the_runtime_waits_for_the_writes_under_way()
    {
        var store = new HeldStore();
        LlmCacheRuntime runtime = WriteBehind(store);
        var service = new RemoteChatService(runtime);
        await service.AskAsync(Messages);
        await store.WriteStarted.WaitAsync(Patience);

        Task disposing = runtime.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        store.Release();
        await disposing.WaitAsync(Patience);

        Assert.Equal(1, store.Writes);
    }

    private static LlmCacheRuntime WriteBehind(ICacheStore store) =>
        new(new LlmCacheOptions { WriteBehind = true }.UseStore(CacheType.Custom, store));

    /// <summary>A remote-tier store whose writes wait until the test releases them; it bounds its own operations, so the guard adds no timeout.</summary>
    private sealed class HeldStore : ITimeBoundedCacheStore
    {
        public const string TierName = "held";

        private readonly ConcurrentDictionary<CacheStoreKey, CacheEntry> _entries = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writes;

        public string Name => TierName;

        public TimeSpan OperationTimeout => Patience;

        public bool Fails { get; init; }

        public Task WriteStarted => _writeStarted.Task;

        public int Writes => Volatile.Read(ref _writes);

        public void Release() => _released.TrySetResult();

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
            new(_entries.TryGetValue(key, out CacheEntry? entry) ? entry : null);

        public async ValueTask SetAsync(CacheStoreKey key, CacheEntry value, CancellationToken cancellationToken = default)
        {
            _writeStarted.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            if (Fails)
            {
                throw new InvalidOperationException("The store refused the write.");
            }

            _entries[key] = value;
            Interlocked.Increment(ref _writes);
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(_entries.TryRemove(key, out _));

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => default;
    }
}
