using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Testing;
using Microsoft.Extensions.Logging;

namespace LlmCache.Stores.Tests;

/// <summary>Which stores a runtime closes, and when: the ones it owns, at its disposal or when an update drops them.</summary>
public sealed class RuntimeDisposalTests
{
    private readonly ListLoggerFactory _logs = new();
    private readonly CountingImplementation _implementation = new();
    private readonly CachedMethod<string> _method = CachedCalls.Method(CacheType.Custom, "disposal");

    [Fact]
    public void Dispose_closes_the_stores_the_runtime_owns_once_and_leaves_the_others_open()
    {
        var owned = new ClosableStore("owned");
        var borrowed = new ClosableStore("borrowed");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions()
            .UseStore(CacheType.Custom, owned, disposeWithRuntime: true)
            .UseStore(CacheType.S3, borrowed));

        runtime.Dispose();
        runtime.Dispose();

        Assert.True(runtime.IsDisposed);
        Assert.Equal(1, owned.Closes);
        Assert.Equal(0, borrowed.Closes);
    }

    [Fact]
    public async Task DisposeAsync_prefers_the_stores_async_close()
    {
        var owned = new ClosableStore("owned");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, owned, disposeWithRuntime: true));

        await runtime.DisposeAsync();
        await runtime.DisposeAsync();

        Assert.Equal(1, owned.AsyncCloses);
        Assert.Equal(0, owned.SyncCloses);
    }

    [Fact]
    public void A_store_registered_for_two_types_is_closed_once()
    {
        var owned = new ClosableStore("owned");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions()
            .UseStore(CacheType.Custom, owned, disposeWithRuntime: true)
            .UseStore(CacheType.Redis, owned, disposeWithRuntime: true));

        runtime.Dispose();

        Assert.Equal(1, owned.Closes);
    }

    [Fact]
    public void A_store_that_fails_to_close_is_logged_and_the_others_are_still_closed()
    {
        var failing = new ClosableStore("failing") { FailOnClose = true };
        var healthy = new ClosableStore("healthy");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = _logs }
            .UseStore(CacheType.Custom, failing, disposeWithRuntime: true)
            .UseStore(CacheType.S3, healthy, disposeWithRuntime: true));

        runtime.Dispose();

        Assert.Equal(1, healthy.Closes);
        (LogLevel level, EventId _, string message) = Assert.Single(_logs.AtLeast(LogLevel.Warning));
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("'failing' failed to close", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_disposal_calls_go_to_the_implementation_and_the_memory_store_is_emptied()
    {
        var runtime = new LlmCacheRuntime();
        CachedMethod<string> memory = CachedCalls.Method(CacheType.Memory, "disposal");
        await CachedCalls.AskAsync(runtime, memory, "q", default, _implementation.InvokeAsync);
        Assert.Equal(1, runtime.MemoryStore.Count);

        await runtime.DisposeAsync();
        var outcome = new CacheOutcome();
        string answer = await CachedCalls.AskAsync(runtime, memory, "q", new CacheControl { Outcome = outcome }, _implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 2), answer);
        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Equal(0, runtime.MemoryStore.Count);
        Assert.Throws<ObjectDisposedException>(() => runtime.Update(o => o.Namespace = "x"));
        Assert.Throws<ObjectDisposedException>(runtime.Enable);
    }

    [Fact]
    public async Task An_update_that_replaces_an_owned_store_closes_it_and_keeps_the_ones_still_registered()
    {
        var replaced = new ClosableStore("replaced");
        var kept = new ClosableStore("kept");
        var borrowed = new ClosableStore("borrowed");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions()
            .UseStore(CacheType.Custom, replaced, disposeWithRuntime: true)
            .UseStore(CacheType.S3, kept, disposeWithRuntime: true)
            .UseStore(CacheType.Disk, borrowed));
        var successor = new ClosableStore("successor");

        runtime.Update(o => o.UseStore(CacheType.Custom, successor, disposeWithRuntime: true));
        runtime.Update(o => o.UseDisk(Path.Combine(Path.GetTempPath(), "llmcache-unused-" + Guid.NewGuid().ToString("N"))));

        Assert.Equal(1, replaced.Closes);
        Assert.Equal(0, kept.Closes);
        Assert.Equal(0, borrowed.Closes);
        Assert.Equal(0, successor.Closes);

        // The successor now serves the type.
        await CachedCalls.AskAsync(runtime, _method, "q", default, _implementation.InvokeAsync);
        Assert.Equal(1, successor.Sets);
        Assert.Equal(0, replaced.Sets);

        runtime.Dispose();
        Assert.Equal(new[] { 1, 1, 0, 1 }, new[] { replaced, kept, borrowed, successor }.Select(s => s.Closes));
    }

    [Fact]
    public void A_rejected_update_closes_the_stores_it_created_and_keeps_the_running_ones()
    {
        var running = new ClosableStore("running");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, running, disposeWithRuntime: true));
        var created = new ClosableStore("created");

        Assert.Throws<ArgumentOutOfRangeException>(() => runtime.Update(o =>
        {
            o.UseStore(CacheType.Custom, created, disposeWithRuntime: true);
            o.DefaultTtl = TimeSpan.FromSeconds(-1);
        }));

        Assert.Equal(1, created.Closes);
        Assert.Equal(0, running.Closes);
        Assert.Same(running, runtime.GetOptions().Stores[CacheType.Custom].Store);
    }

    [Fact]
    public async Task A_call_that_meets_a_closed_store_is_a_miss_not_an_exception()
    {
        var owned = new ClosableStore("owned");
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = _logs }.UseStore(CacheType.Custom, owned, disposeWithRuntime: true));
        owned.Dispose();

        string answer = await CachedCalls.AskAsync(runtime, _method, "q", default, _implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 1), answer);
        // The closed store was reached and failed: its failure was logged, and the caller got the implementation's answer.
        Assert.Contains(_logs.Entries, e => e.Message.Contains("'owned' failed to read", StringComparison.Ordinal));
    }

    /// <summary>A memory-backed store that counts how it is closed, and throws once closed, as real stores do.</summary>
    private sealed class ClosableStore(string name) : ICacheStore, IDisposable, IAsyncDisposable
    {
        private readonly MemoryCacheStore _inner = new();
        private int _syncCloses;
        private int _asyncCloses;
        private int _sets;

        public string Name { get; } = name;

        public bool FailOnClose { get; init; }

        public int SyncCloses => Volatile.Read(ref _syncCloses);

        public int AsyncCloses => Volatile.Read(ref _asyncCloses);

        public int Closes => SyncCloses + AsyncCloses;

        public int Sets => Volatile.Read(ref _sets);

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
            Open().GetAsync(key, cancellationToken);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _sets);
            return Open().SetAsync(key, entry, cancellationToken);
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
            Open().RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) =>
            Open().ClearNamespaceAsync(@namespace, cancellationToken);

        public void Dispose()
        {
            Interlocked.Increment(ref _syncCloses);
            ThrowIfAskedTo();
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref _asyncCloses);
            ThrowIfAskedTo();
            return default;
        }

        private MemoryCacheStore Open()
        {
            ObjectDisposedException.ThrowIf(Closes > 0, this);
            return _inner;
        }

        private void ThrowIfAskedTo()
        {
            if (FailOnClose)
            {
                throw new InvalidOperationException($"{Name} cannot close.");
            }
        }
    }
}
