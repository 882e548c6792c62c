using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>
/// The store claims <see cref="ITimeBoundedCacheStore"/>, so the runtime's guard arms no timer of its own: every
/// operation a caller waits for must end within <see cref="RedisCacheStoreOptions.OperationTimeout"/>, whatever the
/// connection's own timeouts and whatever else holds the store. Each test freezes a server of its own (SIGSTOP).
/// </summary>
public sealed class RedisTimeBoundTests
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>The application's connection gives up only after this; the store must not wait for it.</summary>
    private const int ConnectionTimeoutMs = 15_000;

    /// <summary>Generous for a loaded machine, and far below the connection's own timeout.</summary>
    private static readonly TimeSpan Bound = OperationTimeout + TimeSpan.FromSeconds(4);

    /// <summary>How long the steps around the bound under test may take.</summary>
    private static readonly TimeSpan SetUpTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_get_over_an_application_connection_with_long_timeouts_ends_within_the_operation_timeout()
    {
        using var server = new RedisServer();
        using ConnectionMultiplexer connection = await ConnectWithLongTimeoutsAsync(server);
        (RedisCacheStore created, CacheStoreKey key) = await StoreWithEntryAsync(server, connection, OperationTimeout);
        await using RedisCacheStore store = created;
        var guarded = new ResilientCacheStore(store);
        Assert.NotNull(await store.GetAsync(key));

        server.Pause();
        try
        {
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<TimeoutException>(async () => await store.GetAsync(key));
            TimeSpan direct = clock.Elapsed;

            clock.Restart();
            CacheEntry? throughGuard = await guarded.GetAsync(key);
            TimeSpan guardedElapsed = clock.Elapsed;

            Assert.True(direct < Bound, $"The store's get took {direct.TotalMilliseconds:F0} ms; its timeout is {OperationTimeout.TotalMilliseconds} ms.");
            Assert.Null(throughGuard);
            Assert.True(guardedElapsed < Bound, $"The guarded get took {guardedElapsed.TotalMilliseconds:F0} ms; the store's timeout is {OperationTimeout.TotalMilliseconds} ms.");
        }
        finally
        {
            server.Resume();
        }

        // The paused server answers again, and the store with it (once the commands queued meanwhile are through).
        var recovery = Stopwatch.StartNew();
        CacheEntry? again = null;
        while (again is null && recovery.Elapsed < SetUpTimeout)
        {
            try
            {
                again = await store.GetAsync(key);
            }
            catch (TimeoutException)
            {
                // Still catching up: ask again until the set-up timeout.
            }
        }

        Assert.NotNull(again);
    }

    [Fact]
    public async Task A_get_from_a_frozen_server_that_its_caller_cancels_ends_with_the_cancellation_not_a_timeout()
    {
        using var server = new RedisServer();
        using ConnectionMultiplexer connection = await ConnectWithLongTimeoutsAsync(server);
        (RedisCacheStore created, CacheStoreKey key) = await StoreWithEntryAsync(server, connection, SetUpTimeout);
        await using RedisCacheStore store = created;

        server.Pause();
        try
        {
            using var cancel = new CancellationTokenSource(OperationTimeout);
            var clock = Stopwatch.StartNew();
            Exception? failure = await Record.ExceptionAsync(async () => await store.GetAsync(key, cancel.Token));
            TimeSpan elapsed = clock.Elapsed;

            // Cancelled, not timed out: the caller gave up, which says nothing about the store.
            OperationCanceledException canceled = Assert.IsAssignableFrom<OperationCanceledException>(failure);
            Assert.Equal(cancel.Token, canceled.CancellationToken);
            Assert.True(elapsed < Bound, $"The cancelled get took {elapsed.TotalMilliseconds:F0} ms; it was cancelled after {OperationTimeout.TotalMilliseconds} ms.");
        }
        finally
        {
            server.Resume();
        }
    }

    [Fact]
    public async Task Writes_and_removes_during_a_stuck_namespace_clear_end_within_the_operation_timeout()
    {
        using var server = new RedisServer();
        using ConnectionMultiplexer connection = await ConnectWithLongTimeoutsAsync(server);
        RedisCacheStoreOptions options = server.StoreOptions();
        options.OperationTimeout = OperationTimeout;
        options.FlushSize = 1;
        options.FlushInterval = System.Threading.Timeout.InfiniteTimeSpan;
        await using var store = new RedisCacheStore(connection, options);
        CacheStoreKey stored = RedisCacheStoreTests.NewKey();
        await SetUpAsync(connection, server, options, stored);

        server.Pause();
        ValueTask clear = default;
        try
        {
            // The clear holds the flush lock while its SCAN waits on the frozen server (up to the connection's timeout).
            clear = store.ClearNamespaceAsync("other");
            Assert.False(clear.IsCompleted);

            var clock = Stopwatch.StartNew();
            CacheStoreKey written = RedisCacheStoreTests.NewKey();
            CacheEntry entry = RedisCacheStoreTests.NewEntry();
            Exception? writeFailure = await Record.ExceptionAsync(async () => await store.SetAsync(written, entry));
            TimeSpan write = clock.Elapsed;

            clock.Restart();
            Exception? removeFailure = await Record.ExceptionAsync(async () => await store.RemoveAsync(stored));
            TimeSpan remove = clock.Elapsed;

            Assert.True(write < Bound, $"A buffered write during the clear took {write.TotalMilliseconds:F0} ms ({writeFailure?.GetType().Name ?? "no exception"}); the timeout is {OperationTimeout.TotalMilliseconds} ms.");
            Assert.True(remove < Bound, $"A remove during the clear took {remove.TotalMilliseconds:F0} ms; the timeout is {OperationTimeout.TotalMilliseconds} ms.");
            Assert.IsAssignableFrom<TimeoutException>(removeFailure);

            // A write that could not be flushed stays buffered, and readable, rather than lost or reported as failed.
            Assert.Null(writeFailure);
            Assert.Equal(1, store.PendingWrites);
            Assert.NotNull(await store.GetAsync(written));
        }
        finally
        {
            server.Resume();
        }

        await clear;
        await store.FlushAsync();
        Assert.Equal(0, store.PendingWrites);
    }

    /// <summary>
    /// Writes the entry a test starts from through a store with a long timeout on the same connection and prefix:
    /// the first command of a fresh connection on a loaded machine can take longer than the bound under test.
    /// </summary>
    private static async Task SetUpAsync(ConnectionMultiplexer connection, RedisServer server, RedisCacheStoreOptions options, CacheStoreKey key)
    {
        RedisCacheStoreOptions setUp = server.StoreOptions(options.KeyPrefix);
        setUp.OperationTimeout = SetUpTimeout;
        await using var store = new RedisCacheStore(connection, setUp);
        await store.SetAsync(key, RedisCacheStoreTests.NewEntry());
    }

    /// <summary>A store over <paramref name="connection"/> with <paramref name="operationTimeout"/>, and the key of an entry it holds.</summary>
    private static async Task<(RedisCacheStore Store, CacheStoreKey Key)> StoreWithEntryAsync(RedisServer server, ConnectionMultiplexer connection, TimeSpan operationTimeout)
    {
        RedisCacheStoreOptions options = server.StoreOptions();
        options.OperationTimeout = operationTimeout;
        var store = new RedisCacheStore(connection, options);
        CacheStoreKey key = RedisCacheStoreTests.NewKey();
        await SetUpAsync(connection, server, options, key);
        return (store, key);
    }

    private static async Task<ConnectionMultiplexer> ConnectWithLongTimeoutsAsync(RedisServer server)
    {
        ConfigurationOptions configuration = server.CreateConfiguration();
        configuration.AsyncTimeout = ConnectionTimeoutMs;
        configuration.SyncTimeout = ConnectionTimeoutMs;
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }
}
