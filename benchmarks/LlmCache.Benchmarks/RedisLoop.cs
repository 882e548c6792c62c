using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using LlmCache.Redis;
using LlmCache.Redis.Tests.Servers;
using StackExchange.Redis;

namespace LlmCache.Benchmarks;

/// <summary>
/// The Redis hit of <see cref="RedisHitLayerBenchmarks"/> as one plain loop over its layers:
/// <c>dotnet benchmarks/LlmCache.Benchmarks/bin/Release/net10.0/LlmCache.Benchmarks.dll --redis-loop 1000 100</c> runs
/// blocks of 1,000 calls of each case in turn, 100 rounds. BenchmarkDotNet runs each case in processes of its own,
/// whose loopback latency differs from process to process; here every case shares one process and, block by block,
/// the same moments of the machine, so their ratios to the raw GET are steadier. It prints each case's mean time per
/// call; the benchmark, not this loop, is the measurement.
/// </summary>
public static class RedisLoop
{
    public static async Task RunAsync(int callsPerBlock, int rounds)
    {
        var messages = ChatRequest.PeerMessages();
        var options = ChatRequest.PeerOptions();
        using ConnectionMultiplexer connection = BenchmarkRedis.Connect(out RedisServer? ownServer);
        using RedisServer? server = ownServer;
        IDatabase database = connection.GetDatabase();
        using var store = new RedisCacheStore(connection, new RedisCacheStoreOptions { KeyPrefix = "loop:" });
        var guarded = new ResilientCacheStore(store);
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, store));
        var generated = new CachedRedisMeaiChat(runtime, new FixedAnswerClient());
        await generated.ChatAsync(messages, options);
        CacheStoreKey storeKey = CachedRedisMeaiChat.StoreKey(runtime, messages, options);
        RedisKey rawKey = store.GetRedisKey(storeKey);
        if (await store.GetAsync(storeKey) is null)
        {
            throw new InvalidOperationException("The loop's entry was not stored; every call must hit.");
        }

        (string Name, Func<ValueTask> Call)[] cases =
        [
            ("raw GET, prebuilt key", async () => await database.StringGetAsync(rawKey)),
            ("RedisCacheStore.GetAsync", async () => await store.GetAsync(storeKey)),
            ("ResilientCacheStore.GetAsync", async () => await guarded.GetAsync(storeKey)),
            ("generated method", async () => await generated.ChatAsync(messages, options)),
        ];
        var elapsed = new TimeSpan[cases.Length];
        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerBlock; i++)
                {
                    await cases[c].Call();
                }

                elapsed[c] += Stopwatch.GetElapsedTime(started);
            }
        }

        for (int c = 0; c < cases.Length; c++)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{cases[c].Name,-30} {elapsed[c].TotalMicroseconds / ((double)callsPerBlock * rounds),8:F2} us per call, {elapsed[c] / elapsed[0]:F3}x the raw GET"));
        }
    }
}
