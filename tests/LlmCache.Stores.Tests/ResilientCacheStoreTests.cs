using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LlmCache.Stores.Tests;

public sealed class ResilientCacheStoreTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly CacheStoreKey _key = new("resilience", RandomNumberGenerator.GetBytes(32));
    private readonly ManualTimeProvider _time = new();
    private readonly ListLoggerFactory _logs = new();
    private readonly FaultyStore _inner = new("faulty-" + Guid.NewGuid().ToString("N"));

    private static CacheEntry NewEntry() => new(new byte[] { 1, 2, 3 }, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null);

    private ResilientCacheStore Wrap(int failuresBeforeBreak, TimeSpan? timeout = null) =>
        new(_inner, new ResilienceOptions { FailuresBeforeBreak = failuresBeforeBreak, BreakDuration = Break, StoreTimeout = timeout ?? TimeSpan.FromMilliseconds(250) }, _logs.CreateLogger("LlmCache"), _time);

    private async Task<ResilientCacheStore> OpenBreakerAsync(int failuresBeforeBreak = 2)
    {
        ResilientCacheStore store = Wrap(failuresBeforeBreak);
        _inner.Mode = FaultMode.Failing;
        for (int i = 0; i < failuresBeforeBreak; i++)
        {
            Assert.Null(await store.GetAsync(_key));
        }

        Assert.Equal(CircuitState.Open, store.State);
        return store;
    }

    [Fact]
    public async Task The_timeout_bounds_every_operation_on_a_store_that_never_answers()
    {
        _inner.Mode = FaultMode.Hanging;
        TimeSpan timeout = TimeSpan.FromMilliseconds(100);
        ResilientCacheStore store = Wrap(failuresBeforeBreak: 100, timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Task<CacheEntry?> get = store.GetAsync(_key).AsTask();
        Task set = store.SetAsync(_key, NewEntry()).AsTask();
        Task<bool> remove = store.RemoveAsync(_key).AsTask();
        Task all = Task.WhenAll(get, set, remove);

        Assert.Same(all, await Task.WhenAny(all, Task.Delay(Guard)));
        TimeSpan elapsed = clock.Elapsed;

        // The three ran side by side: together they waited one timeout, not the 30 s guard of the test.
        Assert.True(elapsed >= timeout - TimeSpan.FromMilliseconds(20), $"The operations ended after {elapsed.TotalMilliseconds:F0} ms, before the timeout.");
        Assert.True(elapsed < timeout + TimeSpan.FromSeconds(5), $"The operations ended after {elapsed.TotalMilliseconds:F0} ms; the timeout is {timeout.TotalMilliseconds} ms.");
        Assert.Null(await get);
        Assert.False(await remove);
        Assert.Equal(3, _inner.Calls);
        Assert.All(_inner.Tokens, static token => Assert.True(token.IsCancellationRequested, "The store's token was not cancelled at the timeout."));
        Assert.Equal(CircuitState.Closed, store.State);
    }

    [Fact]
    public async Task A_store_that_bounds_its_own_operations_gets_no_second_timer_but_keeps_the_breaker()
    {
        var slow = new SlowTimeBoundedStore(TimeSpan.FromMilliseconds(300));
        var store = new ResilientCacheStore(slow, new ResilienceOptions { StoreTimeout = TimeSpan.FromMilliseconds(50), FailuresBeforeBreak = 2, BreakDuration = Break }, _logs.CreateLogger("LlmCache"), _time);
        await slow.SetAsync(_key, NewEntry());

        // Slower than the guard's timeout, but within the store's own: the value comes back.
        Assert.NotNull(await store.GetAsync(_key));
        Assert.False(slow.LastToken.CanBeCanceled, "the guard should pass the caller's token, not a timer's");

        slow.Failing = true;
        Assert.Null(await store.GetAsync(_key));
        Assert.Null(await store.GetAsync(_key));
        Assert.Equal(CircuitState.Open, store.State);
    }

    /// <summary>A store that answers after a delay, within an operation timeout of its own.</summary>
    private sealed class SlowTimeBoundedStore(TimeSpan delay) : ITimeBoundedCacheStore
    {
        private readonly MemoryCacheStore _inner = new();

        public bool Failing { get; set; }

        public CancellationToken LastToken { get; private set; }

        public string Name => "slow";

        public TimeSpan OperationTimeout => delay * 2;

        public async ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
        {
            LastToken = cancellationToken;
            await Task.Delay(delay, cancellationToken);
            return Failing ? throw new InvalidOperationException("slow is down") : await _inner.GetAsync(key, cancellationToken);
        }

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) => _inner.SetAsync(key, entry, cancellationToken);

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => _inner.ClearNamespaceAsync(@namespace, cancellationToken);
    }

    [Fact]
    public async Task The_breaker_opens_after_n_consecutive_failures_logs_one_error_and_then_skips_the_store()
    {
        ResilientCacheStore store = Wrap(failuresBeforeBreak: 3);
        _inner.Mode = FaultMode.Failing;

        Assert.Null(await store.GetAsync(_key));
        Assert.False(await store.RemoveAsync(_key));
        Assert.Equal(CircuitState.Closed, store.State);
        await store.SetAsync(_key, NewEntry());
        Assert.Equal(CircuitState.Open, store.State);

        for (int i = 0; i < 100; i++)
        {
            Assert.Null(await store.GetAsync(_key));
            await store.SetAsync(_key, NewEntry());
            Assert.False(await store.RemoveAsync(_key));
        }

        _time.Advance(Break - TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetAsync(_key));

        Assert.Equal(3, _inner.Calls);
        (LogLevel level, EventId _, string message) = Assert.Single(_logs.AtLeast(LogLevel.Information));
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains(_inner.Name, message, StringComparison.Ordinal);
        Assert.Contains("circuit breaker is open", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_break_one_probe_closes_the_breaker_when_the_store_answers()
    {
        ResilientCacheStore store = await OpenBreakerAsync();
        _inner.Mode = FaultMode.Healthy;
        _time.Advance(Break);
        CacheEntry entry = NewEntry();

        await store.SetAsync(_key, entry);

        Assert.Equal(CircuitState.Closed, store.State);
        Assert.Equal(3, _inner.Calls);
        Assert.Same(entry, await store.GetAsync(_key));
        (LogLevel level, EventId _, string message) = Assert.Single(_logs.Entries, static e => e.Level == LogLevel.Information);
        Assert.Contains(_inner.Name, message, StringComparison.Ordinal);
        Assert.Single(_logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task A_failed_probe_keeps_the_breaker_open_for_another_break_without_another_error()
    {
        ResilientCacheStore store = await OpenBreakerAsync();
        _time.Advance(Break);

        Assert.Null(await store.GetAsync(_key));
        Assert.Equal(CircuitState.Open, store.State);
        Assert.Equal(3, _inner.Calls);
        Assert.Null(await store.GetAsync(_key));
        Assert.Equal(3, _inner.Calls);

        _time.Advance(Break);
        Assert.Null(await store.GetAsync(_key));
        Assert.Equal(4, _inner.Calls);
        Assert.Single(_logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task Only_one_probe_goes_to_the_store_at_a_time()
    {
        ResilientCacheStore store = await OpenBreakerAsync();
        _inner.Mode = FaultMode.Hanging;
        _time.Advance(Break);

        Task<CacheEntry?> probe = store.GetAsync(_key).AsTask();
        Assert.Equal(CircuitState.Probing, store.State);
        for (int i = 0; i < 20; i++)
        {
            Assert.Null(await store.GetAsync(_key));
        }

        Assert.Equal(3, _inner.Calls);
        Assert.Same(probe, await Task.WhenAny(probe, Task.Delay(Guard)));
        Assert.Null(await probe);
        Assert.Equal(CircuitState.Open, store.State);
    }

    [Fact]
    public async Task A_success_resets_the_count_of_consecutive_failures()
    {
        ResilientCacheStore store = Wrap(failuresBeforeBreak: 3);
        foreach (FaultMode mode in new[] { FaultMode.Failing, FaultMode.Failing, FaultMode.Healthy, FaultMode.Failing, FaultMode.Failing })
        {
            _inner.Mode = mode;
            await store.GetAsync(_key);
        }

        Assert.Equal(CircuitState.Closed, store.State);
        await store.GetAsync(_key);
        Assert.Equal(CircuitState.Open, store.State);
    }

    [Fact]
    public async Task Failures_between_successes_never_open_the_breaker_and_are_reported_as_one_warning_a_minute()
    {
        ResilientCacheStore store = Wrap(failuresBeforeBreak: 3);
        for (int i = 0; i < 100; i++)
        {
            _inner.Mode = FaultMode.Failing;
            await store.SetAsync(_key, NewEntry());
            _inner.Mode = FaultMode.Healthy;
            await store.GetAsync(_key);
        }

        Assert.Equal(CircuitState.Closed, store.State);
        (LogLevel level, EventId _, string message) = Assert.Single(_logs.AtLeast(LogLevel.Warning));
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains(_inner.Name, message, StringComparison.Ordinal);
        Assert.Contains("failed 1 operations", message, StringComparison.Ordinal);

        // A minute on, the next report counts every failure since the first.
        _time.Advance(TimeSpan.FromMinutes(1));
        _inner.Mode = FaultMode.Failing;
        await store.SetAsync(_key, NewEntry());
        _inner.Mode = FaultMode.Healthy;
        await store.GetAsync(_key);

        Assert.Equal(2, _logs.AtLeast(LogLevel.Warning).Count());
        Assert.Contains("failed 100 operations", _logs.AtLeast(LogLevel.Warning).Last().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_reaches_the_caller_and_is_no_store_failure()
    {
        _inner.Mode = FaultMode.Hanging;
        ResilientCacheStore store = Wrap(failuresBeforeBreak: 1, Guard);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync(_key, cancellation.Token).AsTask());

        Assert.Equal(CircuitState.Closed, store.State);
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public async Task Clear_namespace_goes_straight_to_the_store_and_reports_its_failure()
    {
        ResilientCacheStore store = await OpenBreakerAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ClearNamespaceAsync("resilience").AsTask());
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public async Task Every_failure_is_counted_as_a_store_error_of_the_store()
    {
        long errors = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LlmCacheTelemetry.Name && instrument.Name == "llmcache.store.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "llmcache.tier" && Equals(tag.Value, _inner.Name))
                {
                    Interlocked.Add(ref errors, value);
                }
            }
        });
        listener.Start();

        ResilientCacheStore store = await OpenBreakerAsync(failuresBeforeBreak: 4);
        for (int i = 0; i < 10; i++)
        {
            await store.GetAsync(_key);
        }

        Assert.Equal(4, Interlocked.Read(ref errors));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_with_the_setting_named()
    {
        var zeroTimeout = Assert.Throws<ArgumentOutOfRangeException>(() => new ResilientCacheStore(_inner, new ResilienceOptions { StoreTimeout = TimeSpan.Zero }));
        Assert.Contains("StoreTimeout", zeroTimeout.Message, StringComparison.Ordinal);
        var noFailures = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCacheRuntime(new LlmCacheOptions { Resilience = { FailuresBeforeBreak = 0 } }));
        Assert.Contains("FailuresBeforeBreak", noFailures.Message, StringComparison.Ordinal);
    }
}
