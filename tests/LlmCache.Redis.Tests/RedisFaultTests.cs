using System;
using System.Diagnostics;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using Xunit.Abstractions;

namespace LlmCache.Redis.Tests;

/// <summary>Redis stopped in the middle of 1,000 calls, then restarted.</summary>
public sealed class RedisFaultTests : IClassFixture<RedisServer>
{
    private const int Prompts = 50;
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(500);

    private readonly RedisServer _server;
    private readonly ITestOutputHelper _output;

    public RedisFaultTests(RedisServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task AnOutage_CostsNoCallerAnException_CallsGoToTheModel_AndHitsResumeAfterTheRestart()
    {
        var logs = new ListLoggerProvider();
        RedisCacheStoreOptions storeOptions = _server.StoreOptions();
        storeOptions.OperationTimeout = OperationTimeout;
        storeOptions.LoggerFactory = logs;
        await using var store = new RedisCacheStore(storeOptions);
        var resilience = new ResilienceOptions { BreakDuration = TimeSpan.FromMilliseconds(500), StoreTimeout = OperationTimeout };
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = logs, Resilience = resilience }.UseStore(CacheType.Redis, store));
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new CountingModel();
        int exceptions = 0;

        // Calls 0-399 with Redis up: 50 misses (and the connection), then hits; 100-399 are the baseline. On a
        // loaded machine an operation may pass the timeout and cost a miss, so "most", not an exact count.
        Phase warmUp = await RunAsync(runtime, method, model, 0, 100, () => exceptions++);
        Phase before = await RunAsync(runtime, method, model, 100, 300, () => exceptions++);
        Assert.InRange(warmUp.ModelCalls, Prompts, 100);
        Assert.True(before.Hits >= 270, $"Only {before.Hits} of 300 calls with Redis up were hits.");

        // Calls 400-699 with Redis down: no store answers, so every call goes to the model.
        _server.Stop();
        Phase outage = await RunAsync(runtime, method, model, 400, 300, () => exceptions++);
        Assert.Equal(300, outage.ModelCalls);

        // Restart (empty: no persistence) and wait until the store reaches it, then until the breaker's probe
        // finds Redis back: the conditions, not a fixed sleep.
        _server.Start();
        TimeSpan reconnect = await WaitUntilReachableAsync(store);
        int first = 700;
        var resumed = Stopwatch.StartNew();
        Phase after;
        do
        {
            Assert.True(resumed.Elapsed < TimeSpan.FromSeconds(60), "Hits did not resume within 60 s of the restart.");

            // One round over every prompt: each misses once on the emptied server, after which a round is all hits.
            after = await RunAsync(runtime, method, model, first, Prompts, () => exceptions++);
            first += Prompts;
            if (after.Hits < Prompts)
            {
                await Task.Delay(20);
            }
        }
        while (after.Hits < Prompts);

        Assert.Equal(0, exceptions);

        double addedMicros = outage.MeanMicroseconds - before.MeanMicroseconds;
        _output.WriteLine(
            $"mean per call: up (hits) {before.MeanMicroseconds:F1} µs, outage {outage.MeanMicroseconds:F1} µs (max {outage.MaxMicroseconds:F0} µs), " +
            $"added {addedMicros:F1} µs; reconnected {reconnect.TotalMilliseconds:F0} ms after restart; hits resumed {resumed.Elapsed.TotalMilliseconds:F0} ms later; " +
            $"log events {logs.Records.Count}");

        // A generous bound tied to the configured timeout: an outage must never cost each call the full timeout.
        Assert.True(outage.MeanMicroseconds < OperationTimeout.TotalMilliseconds * 1000, $"mean outage call {outage.MeanMicroseconds:F0} µs");
    }

    private static async Task<Phase> RunAsync(LlmCacheRuntime runtime, CachedMethod<string> method, CountingModel model, int first, int count, Action onException)
    {
        int modelBefore = model.Calls;
        double total = 0;
        double max = 0;
        for (int i = first; i < first + count; i++)
        {
            string prompt = $"prompt {i % Prompts}";
            long start = Stopwatch.GetTimestamp();
            try
            {
                string answer = await RuntimeCalls.CallAsync(runtime, method, prompt, model);
                Assert.Equal(CountingModel.AnswerFor(prompt), answer);
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                onException();
            }

            double micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            total += micros;
            max = Math.Max(max, micros);
        }

        int modelCalls = model.Calls - modelBefore;
        return new Phase(modelCalls, count - modelCalls, total / count, max);
    }

    private static async Task<TimeSpan> WaitUntilReachableAsync(RedisCacheStore store)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                await store.GetAsync(RedisCacheStoreTests.NewKey());
                return clock.Elapsed;
            }
            catch (Exception)
            {
                // Not connected yet, or the first commands time out while it connects: any failure means "not yet".
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("The store did not reconnect within 30 s of the restart.");
    }

    private readonly record struct Phase(int ModelCalls, int Hits, double MeanMicroseconds, double MaxMicroseconds);
}
