using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using LlmCache.Tests;

namespace LlmCache.Benchmarks;

/// <summary>
/// The memory-store case of <see cref="MissOverheadBenchmarks"/> as a plain loop, for a profiler to watch
/// (<c>dotnet-trace collect -- dotnet run -c Release --project benchmarks/LlmCache.Benchmarks -- --miss-loop 10</c>,
/// or <c>/usr/bin/time -v</c> for its page faults): every call a new request, the store full after 10,000 calls.
/// With <c>--miss-loop 10 remote</c> it is the remote-tier case instead: every call misses <see cref="MissingStore"/>;
/// with <c>--miss-loop 10 write-behind</c>, the same under <see cref="LlmCacheOptions.WriteBehind"/>. It prints the
/// mean time per call and the collections it caused; the benchmark, not this loop, is the measurement.
/// </summary>
public static class MissLoop
{
    public static async Task RunAsync(double seconds, bool remote, bool writeBehind)
    {
        var messages = ChatRequest.PeerMessages();
        var options = ChatRequest.PeerOptions();
        var chat = new CachedMissingChat(remote ? new LlmCacheRuntime(new LlmCacheOptions { WriteBehind = writeBehind }.UseStore(CacheType.Custom, new MissingStore())) : new LlmCacheRuntime());
        long seed = 0;
        long calls = 0;
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 1000; i++)
            {
                options.Seed = ++seed;
                await (remote ? chat.ChatAsync(messages, options) : chat.ChatInMemoryAsync(messages, options));
            }

            calls += 1000;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{(writeBehind ? "write-behind" : remote ? "remote-tier" : "memory-store")} miss: {clock.Elapsed.TotalMilliseconds * 1000 / calls:F2} us per call over {calls} calls; collections: gen 0 {GC.CollectionCount(0) - collections[0]}, gen 1 {GC.CollectionCount(1) - collections[1]}, gen 2 {GC.CollectionCount(2) - collections[2]}; pinned heap {GC.GetGCMemoryInfo().GenerationInfo[4].SizeAfterBytes / (1024 * 1024)} MB"));
    }
}
