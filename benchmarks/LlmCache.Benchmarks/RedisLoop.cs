using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;

namespace LlmCache.Benchmarks;

/// <summary>
/// The cases of <see cref="RedisHitLayerBenchmarks"/> that read Redis, as one plain loop over that very suite's set-up:
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
        var suite = new RedisHitLayerBenchmarks();
        await suite.Setup();
        try
        {
            (string Name, Func<ValueTask> Call)[] cases =
            [
                ("raw GET, prebuilt key", async () => await suite.RawGet()),
                ("RedisCacheStore.GetAsync", async () => await suite.Store()),
                ("ResilientCacheStore.GetAsync", async () => await suite.Guarded()),
                ("generated method", async () => await suite.Generated()),
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
        finally
        {
            suite.Cleanup();
        }
    }
}
