using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using LlmCache.Testing;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>
/// Distributed single-flight: independent runtimes, each with its own Redis connection, that miss one key at once
/// make one model call between them; when the instance holding the lock dies, the others still get an answer.
/// </summary>
public sealed class DistributedSingleFlightTests : IClassFixture<RedisServer>
{
    private static readonly TimeSpan LockExpiry = TimeSpan.FromSeconds(2);
    private readonly RedisServer _server;
    private readonly string _prefix = RedisServer.UniquePrefix();

    public DistributedSingleFlightTests(RedisServer server) => _server = server;

    [Fact]
    public async Task A_hundred_concurrent_calls_across_four_runtimes_make_one_model_call_and_all_get_its_answer()
    {
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new GatedModel();
        List<LlmCacheRuntime> runtimes = Enumerable.Range(0, 4).Select(_ => Runtime(new RedisCacheStore(Options(TimeSpan.FromSeconds(30))))).ToList();
        try
        {
            Task<string>[] calls = Enumerable.Range(0, 100)
                .Select(i => Task.Run(() => CachedCalls.AskAsync(runtimes[i % 4], method, "cold", default, model.AnswerAsync, CancellationToken.None).AsTask()))
                .ToArray();

            // The first call holds the lock; let the others reach it (without the lock, each runtime would call the model by now).
            await model.WaitForCallsAsync(1);
            await Task.Delay(TimeSpan.FromSeconds(1));
            model.Open();
            string[] answers = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

            // A second call is allowed by design only after a store error (fail-open): the counts say which runtime had one.
            Assert.True(model.Calls == 1, $"{model.Calls} model calls; per runtime, tier by tier: {string.Join("; ", runtimes.Select(Describe))}");
            Assert.All(answers, answer => Assert.Equal("answer #1 to cold", answer));
        }
        finally
        {
            foreach (LlmCacheRuntime runtime in runtimes)
            {
                await runtime.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task When_the_lock_holder_loses_its_connection_the_others_get_an_answer_within_the_lock_expiry_and_one_call()
    {
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var holderModel = new GatedModel();
        var othersModel = new GatedModel();
        othersModel.Open();
        ConnectionMultiplexer holderConnection = await ConnectionMultiplexer.ConnectAsync(_server.CreateConfiguration());
        await using LlmCacheRuntime holder = Runtime(new RedisCacheStore(holderConnection, Options(LockExpiry)));
        List<LlmCacheRuntime> others = Enumerable.Range(0, 3).Select(_ => Runtime(new RedisCacheStore(Options(LockExpiry)))).ToList();
        try
        {
            Task<string> held = CachedCalls.AskAsync(holder, method, "cold", default, holderModel.AnswerAsync, CancellationToken.None).AsTask();
            await holderModel.WaitForCallsAsync(1);
            Task<string>[] waiting = Enumerable.Range(0, 30)
                .Select(i => Task.Run(() => CachedCalls.AskAsync(others[i % 3], method, "cold", default, othersModel.AnswerAsync, CancellationToken.None).AsTask()))
                .ToArray();

            // The holder dies: its connection goes, its lock stays in Redis until it expires.
            var clock = Stopwatch.StartNew();
            holderConnection.Dispose();
            string[] answers = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(60));
            TimeSpan elapsed = clock.Elapsed;

            Assert.Equal(1, othersModel.Calls);
            Assert.All(answers, answer => Assert.Equal("answer #1 to cold", answer));

            // Within the lock's expiry plus one (instant) call, with room for a loaded machine.
            Assert.True(elapsed < LockExpiry + TimeSpan.FromSeconds(10), $"the waiters took {elapsed.TotalSeconds:F1} s");
            holderModel.Open();
            Assert.Equal("answer #1 to cold", await held.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            holderModel.Open();
            foreach (LlmCacheRuntime runtime in others)
            {
                await runtime.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Without_the_option_each_runtime_makes_its_own_call()
    {
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new GatedModel();
        List<LlmCacheRuntime> runtimes = Enumerable.Range(0, 2).Select(_ =>
        {
            RedisCacheStoreOptions options = Options(TimeSpan.FromSeconds(30));
            options.DistributedSingleFlight = false;
            return Runtime(new RedisCacheStore(options));
        }).ToList();
        Task<string>[] calls = runtimes.Select(r => CachedCalls.AskAsync(r, method, "cold", default, model.AnswerAsync, CancellationToken.None).AsTask()).ToArray();
        await model.WaitForCallsAsync(2);
        model.Open();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, model.Calls);
        foreach (LlmCacheRuntime runtime in runtimes)
        {
            await runtime.DisposeAsync();
        }
    }

    private RedisCacheStoreOptions Options(TimeSpan lockExpiry)
    {
        RedisCacheStoreOptions options = _server.StoreOptions(_prefix);
        options.DistributedSingleFlight = true;
        options.LockExpiry = lockExpiry;
        options.OperationTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    private static string Describe(LlmCacheRuntime runtime) =>
        string.Join(", ", runtime.GetStatistics().Tiers.Select(tier => $"{tier.Key}: {tier.Value}"));

    private static LlmCacheRuntime Runtime(RedisCacheStore store) =>
        new(new LlmCacheOptions().UseStore(CacheType.Redis, store, disposeWithRuntime: true));

    /// <summary>A model whose answers wait for the test to open a gate, numbered by call.</summary>
    private sealed class GatedModel
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Open() => _gate.TrySetResult();

        public async ValueTask<string> AnswerAsync(string prompt, CancellationToken cancellationToken)
        {
            int call = Interlocked.Increment(ref _calls);
            await _gate.Task.WaitAsync(cancellationToken);
            return $"answer #{call} to {prompt}";
        }

        public async Task WaitForCallsAsync(int count)
        {
            var clock = Stopwatch.StartNew();
            while (Calls < count)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the model got {Calls} calls, not {count}");
                await Task.Delay(10);
            }
        }
    }
}
