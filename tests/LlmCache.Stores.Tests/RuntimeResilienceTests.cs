using System;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.Testing;
using Microsoft.Extensions.Logging;

namespace LlmCache.Stores.Tests;

/// <summary>A store outage seen through the runtime, as generated code calls it: no caller ever sees an exception.</summary>
public sealed class RuntimeResilienceTests
{
    private readonly ListLoggerFactory _logs = new();
    private readonly FaultyStore _store = new("faulty-" + Guid.NewGuid().ToString("N"));
    private readonly CountingImplementation _implementation = new();
    private readonly CachedMethod<string> _method = CachedCalls.Method(CacheType.Custom, "resilience");

    private LlmCacheRuntime CreateRuntime(Action<LlmCacheOptions>? configure = null)
    {
        var options = new LlmCacheOptions { LoggerFactory = _logs };
        options.Resilience.FailuresBeforeBreak = 5;
        options.UseStore(CacheType.Custom, _store);
        configure?.Invoke(options);
        return new LlmCacheRuntime(options);
    }

    private async Task CallManyAsync(LlmCacheRuntime runtime, int calls)
    {
        int before = _implementation.Calls;
        for (int i = 0; i < calls; i++)
        {
            string prompt = "prompt " + Guid.NewGuid().ToString("N");
            Assert.Equal(CountingImplementation.AnswerFor(prompt, before + i + 1), await CachedCalls.AskAsync(runtime, _method, prompt, default, _implementation.InvokeAsync));
        }
    }

    [Fact]
    public async Task A_failing_store_is_touched_only_until_the_breaker_opens_and_logs_one_error()
    {
        _store.Mode = FaultMode.Failing;
        LlmCacheRuntime runtime = CreateRuntime();

        await CallManyAsync(runtime, 200);

        Assert.Equal(200, _implementation.Calls);
        Assert.Equal(5, _store.Calls);
        (LogLevel level, EventId _, string message) = Assert.Single(_logs.AtLeast(LogLevel.Warning));
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains(_store.Name, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_store_costs_at_most_the_timeout_and_only_until_the_breaker_opens()
    {
        _store.Mode = FaultMode.Hanging;
        TimeSpan timeout = TimeSpan.FromMilliseconds(50);
        LlmCacheRuntime runtime = CreateRuntime(o => o.Resilience.StoreTimeout = timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Task calls = CallManyAsync(runtime, 100);

        Assert.Same(calls, await Task.WhenAny(calls, Task.Delay(TimeSpan.FromSeconds(60))));
        await calls;

        // Five operations waited the timeout before the breaker opened; after that the store cost nothing.
        TimeSpan elapsed = clock.Elapsed;
        Assert.True(elapsed >= 5 * timeout - TimeSpan.FromMilliseconds(50), $"100 calls took {elapsed.TotalMilliseconds:F0} ms: the timeout was not waited for.");
        Assert.True(elapsed < (5 * timeout) + TimeSpan.FromSeconds(5), $"100 calls took {elapsed.TotalMilliseconds:F0} ms; five timeouts of {timeout.TotalMilliseconds} ms were expected.");
        Assert.Equal(100, _implementation.Calls);
        Assert.Equal(5, _store.Calls);
    }

    [Fact]
    public async Task Hits_resume_once_a_probe_finds_the_store_back()
    {
        var time = new ManualTimeProvider();
        _store.Mode = FaultMode.Failing;
        LlmCacheRuntime runtime = CreateRuntime(o => o.TimeProvider = time);
        await CallManyAsync(runtime, 10);

        _store.Mode = FaultMode.Healthy;
        time.Advance(runtime.GetOptions().Resilience.BreakDuration);
        string first = await CachedCalls.AskAsync(runtime, _method, "back", default, _implementation.InvokeAsync);
        var outcome = new CacheOutcome();
        string second = await CachedCalls.AskAsync(runtime, _method, "back", new CacheControl { Outcome = outcome }, _implementation.InvokeAsync);

        Assert.Equal(first, second);
        Assert.True(outcome.IsHit);
        Assert.Equal(_store.Name, outcome.Tier);
        Assert.Single(_logs.Entries, static e => e.Level == LogLevel.Information);
    }

    [Fact]
    public async Task An_update_of_other_settings_keeps_the_open_breaker()
    {
        _store.Mode = FaultMode.Failing;
        LlmCacheRuntime runtime = CreateRuntime();
        await CallManyAsync(runtime, 10);
        int calls = _store.Calls;

        runtime.Update(static o => o.DefaultTtl = TimeSpan.FromHours(1));
        await CallManyAsync(runtime, 10);

        Assert.Equal(calls, _store.Calls);
        Assert.Single(_logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task Without_resilience_the_runtime_still_fails_open_but_pays_the_store_on_every_call()
    {
        _store.Mode = FaultMode.Failing;
        LlmCacheRuntime runtime = CreateRuntime(static o => o.Resilience.Enabled = false);

        await CallManyAsync(runtime, 20);

        // Each miss reads before joining the single flight and then writes; the read failed, so the flight does not
        // read again: two store calls, two logged failures.
        Assert.Equal(20, _implementation.Calls);
        Assert.Equal(40, _store.Calls);
        Assert.Equal(40, _logs.AtLeast(LogLevel.Warning).Count());
    }
}
