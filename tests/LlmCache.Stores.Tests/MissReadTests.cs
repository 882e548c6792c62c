using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Testing;

namespace LlmCache.Stores.Tests;

/// <summary>
/// How often a miss reads the remote tier. The miss path reads it before joining a flight (so remote hits skip the
/// single-flight machinery), and the flight's leader looks again only when that can find something the first read
/// could not: an entry another flight of this process stored in between, without a memory tier to find it in.
/// </summary>
public sealed class MissReadTests
{
    private readonly FaultyStore _store = new("remote-" + Guid.NewGuid().ToString("N"));
    private readonly CountingImplementation _implementation = new();

    private LlmCacheRuntime CreateRuntime(CacheType registeredAs)
    {
        var options = new LlmCacheOptions();
        options.Resilience.FailuresBeforeBreak = 1000;
        options.UseStore(registeredAs, _store);
        return new LlmCacheRuntime(options);
    }

    [Fact]
    public async Task A_miss_over_a_failing_store_reads_it_once_not_twice()
    {
        _store.Mode = FaultMode.Failing;
        LlmCacheRuntime runtime = CreateRuntime(CacheType.Custom);

        string answer = await CachedCalls.AskAsync(runtime, CachedCalls.Method(CacheType.Custom, null), "q", default, _implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 1), answer);
        Assert.Equal(2, _store.Calls); // the read that failed, then the write; a second read would wait out a second timeout
    }

    [Fact]
    public async Task A_dual_miss_reads_the_remote_tier_once_the_memory_tier_catches_earlier_flights()
    {
        LlmCacheRuntime runtime = CreateRuntime(CacheType.Redis);
        CachedMethod<string> method = CachedCalls.Method(CacheType.Dual, null);

        await CachedCalls.AskAsync(runtime, method, "q", default, _implementation.InvokeAsync);
        Assert.Equal(2, _store.Calls); // one read, one write

        var outcome = new CacheOutcome();
        Assert.Equal(CountingImplementation.AnswerFor("q", 1), await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Outcome = outcome }, _implementation.InvokeAsync));
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal(2, _store.Calls); // served from memory
    }

    [Fact]
    public async Task A_miss_over_a_remote_only_store_with_no_flight_ended_since_its_read_reads_once()
    {
        LlmCacheRuntime runtime = CreateRuntime(CacheType.Custom);

        await CachedCalls.AskAsync(runtime, CachedCalls.Method(CacheType.Custom, null), "q", default, _implementation.InvokeAsync);

        Assert.Equal(2, _store.Calls); // read, write: no flight of the key ended in between, so a second look could find nothing
    }

    [Fact]
    public async Task A_miss_whose_read_came_just_before_another_flight_stored_looks_again_and_finds_its_answer()
    {
        var store = new LateReadStore();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store));
        CachedMethod<string> method = CachedCalls.Method(CacheType.Custom, null);

        // The first caller's read starts before the entry exists and answers after a whole flight of the key has ended.
        Task<string> late = CachedCalls.AskAsync(runtime, method, "q", default, _implementation.InvokeAsync).AsTask();
        await store.FirstReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        string first = await CachedCalls.AskAsync(runtime, method, "q", default, _implementation.InvokeAsync);
        store.AnswerFirstRead.SetResult();

        Assert.Equal(first, await late.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, _implementation.Calls);
    }

    /// <summary>A remote-tier store whose first read answers "absent", as it was when the read began, only when told to.</summary>
    private sealed class LateReadStore : ITimeBoundedCacheStore
    {
        private readonly ConcurrentDictionary<CacheStoreKey, CacheEntry> _entries = new();
        private int _reads;

        public TaskCompletionSource FirstReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AnswerFirstRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "late-read";

        public TimeSpan OperationTimeout => TimeSpan.FromMinutes(1);

        public async ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                FirstReadStarted.SetResult();
                await AnswerFirstRead.Task.ConfigureAwait(false);
                return null;
            }

            return _entries.TryGetValue(key, out CacheEntry? entry) ? entry : null;
        }

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry value, CancellationToken cancellationToken = default)
        {
            _entries[key] = value;
            return default;
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(_entries.TryRemove(key, out _));

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => default;
    }
}
