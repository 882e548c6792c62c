using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;

namespace LlmCache.Benchmarks;

/// <summary>
/// The generated method's memory hit of <see cref="MemoryHitBenchmarks"/> (<c>ShareResult</c>) as a plain loop, for a
/// profiler to watch (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c> and <c>DOTNET_EnableWriteXorExecute=0</c>, over
/// <c>dotnet benchmarks/LlmCache.Benchmarks/bin/Release/net10.0/LlmCache.Benchmarks.dll --hit-loop 10</c>): the same
/// request on every call, served from memory. It prints the mean time per call and the bytes the loop allocated; the
/// benchmark, not this loop, is the measurement.
/// </summary>
public static class HitLoop
{
    public static async Task RunAsync(double seconds)
    {
        var messages = ChatRequest.PeerMessages();
        var options = ChatRequest.PeerOptions();
        var chat = new CachedMeaiChat(new LlmCacheRuntime());
        var first = await chat.ChatSharedAsync(messages, options);
        long calls = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (!ReferenceEquals(await chat.ChatSharedAsync(messages, options), first))
                {
                    throw new InvalidOperationException("The loop's request missed the cache; it must hit on every call.");
                }
            }

            calls += 10_000;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"memory hit: {clock.Elapsed.TotalMilliseconds * 1_000_000 / calls:F0} ns per call over {calls} calls; {GC.GetAllocatedBytesForCurrentThread() - allocated} B allocated"));
    }
}
