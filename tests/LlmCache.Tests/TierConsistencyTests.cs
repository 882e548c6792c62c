using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>In <see cref="CacheType.Dual"/>, the memory tier never outlives the remote one and keeps its own clock for LRU.</summary>
public sealed class TierConsistencyTests
{
    private static readonly Message[] Conversation = { new("user", "Hello?") };

    private readonly ManualTimeProvider _time = new();
    private readonly RemoteStore _remote;

    public TierConsistencyTests() => _remote = new RemoteStore(new MemoryCacheStore(new MemoryCacheStoreOptions(), _time));

    [Fact]
    public async Task The_writers_memory_copy_expires_with_the_remote_copy()
    {
        var service = new ChatService(Dual(memoryTtl: TimeSpan.FromHours(1), remoteTtl: TimeSpan.FromMinutes(10)));
        await service.AskAsync("m", Conversation, 0f, 1);
        _time.Advance(TimeSpan.FromMinutes(9));
        var young = new CacheOutcome();
        await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { Outcome = young });

        _time.Advance(TimeSpan.FromMinutes(2));
        var expired = new CacheOutcome();
        await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { Outcome = expired });

        Assert.Equal("memory", young.Tier);
        Assert.Equal(CacheOutcomeStatus.Miss, expired.Status);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task An_entry_copied_in_from_the_remote_tier_counts_as_just_used_for_lru()
    {
        var writer = new ChatService(Dual(memoryTtl: null, remoteTtl: null));
        await writer.AskAsync("m", Conversation, 0f, 0);
        _time.Advance(TimeSpan.FromDays(1));
        var reader = new ChatService(Dual(memoryTtl: null, remoteTtl: null, maxEntries: 10));
        for (int i = 1; i <= 9; i++)
        {
            await reader.AskAsync("m", Conversation, 0f, i);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var copied = new CacheOutcome();
        await reader.AskAsync("m", Conversation, 0f, 0, new CacheControl { Outcome = copied });
        _time.Advance(TimeSpan.FromSeconds(1));
        await reader.AskAsync("m", Conversation, 0f, 10);

        // The eleventh entry made the store evict two: the least recently used, which the copy is not.
        var again = new CacheOutcome();
        await reader.AskAsync("m", Conversation, 0f, 0, new CacheControl { Outcome = again });
        Assert.Equal(RemoteStore.TierName, copied.Tier);
        Assert.Equal("memory", again.Tier);
    }

    private LlmCacheRuntime Dual(TimeSpan? memoryTtl, TimeSpan? remoteTtl, int maxEntries = 10_000) =>
        new(new LlmCacheOptions
        {
            TimeProvider = _time,
            DefaultType = CacheType.Dual,
            Memory = new MemoryCacheStoreOptions { DefaultTtl = memoryTtl, MaxEntries = maxEntries },
        }.UseStore(CacheType.Redis, _remote, remoteTtl));

    /// <summary>A store outside the process, simulated by a memory store under another name.</summary>
    private sealed class RemoteStore(MemoryCacheStore inner) : ICacheStore
    {
        public const string TierName = "remote";

        public string Name => TierName;

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) => inner.SetAsync(key, entry, cancellationToken);

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => inner.ClearNamespaceAsync(@namespace, cancellationToken);
    }
}
