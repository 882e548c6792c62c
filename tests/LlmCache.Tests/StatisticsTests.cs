using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// <see cref="LlmCacheRuntime.GetStatistics"/>: hits, misses and errors of a runtime, per tier and per method; and the
/// method tag on the hit and miss meters.
/// </summary>
public sealed class StatisticsTests
{
    [Fact]
    public async Task Memory_hits_and_misses_are_counted_per_method_per_tier_and_in_total()
    {
        using var runtime = new LlmCacheRuntime();
        var service = new StatisticsService(runtime);

        await service.AskAsync("a");
        await service.AskAsync("a");
        await service.AskAsync("a");
        await service.AskAsync("b");
        service.Describe(1);
        service.Describe(1);

        CacheStatistics statistics = runtime.GetStatistics();
        Assert.Equal(new CacheCounts(Hits: 2, Misses: 2, Errors: 0), Method(statistics, "AskAsync"));
        Assert.Equal(new CacheCounts(Hits: 1, Misses: 1, Errors: 0), Method(statistics, "Describe"));
        Assert.Equal(new CacheCounts(Hits: 3, Misses: 3, Errors: 0), statistics.Tiers["memory"]);
        Assert.Equal(new CacheCounts(Hits: 3, Misses: 3, Errors: 0), statistics.Total);
        Assert.Equal(0.5, statistics.Total.HitRatio);
        Assert.Equal(service.Calls, statistics.Total.Misses);
    }

    [Fact]
    public async Task Remote_hits_misses_and_a_failing_store_are_counted_for_their_tier()
    {
        var store = new CountingStore(new MemoryCacheStore());
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Custom }.UseStore(CacheType.Custom, store));
        var service = new StatisticsService(runtime);

        await service.AskAsync("a");
        await service.AskAsync("a");

        CacheStatistics remote = runtime.GetStatistics();
        Assert.Equal(new CacheCounts(Hits: 1, Misses: 1, Errors: 0), remote.Tiers[store.Name]);
        Assert.False(remote.Tiers.ContainsKey("memory"));
        Assert.Equal(new CacheCounts(Hits: 1, Misses: 1, Errors: 0), Method(remote, "AskAsync"));

        runtime.Update(o => o.UseStore(CacheType.Custom, new FailingStore()));
        await service.AskAsync("c");

        // The read and the write of the one call failed; the call still got its answer from the implementation.
        CacheStatistics failing = runtime.GetStatistics();
        Assert.Equal(new CacheCounts(Hits: 0, Misses: 0, Errors: 2), failing.Tiers["failing"]);
        Assert.Equal(new CacheCounts(Hits: 1, Misses: 2, Errors: 2), Method(failing, "AskAsync"));
        Assert.Equal(2, failing.Total.Errors);
    }

    [Fact]
    public async Task Each_runtime_counts_its_own_calls()
    {
        using var first = new LlmCacheRuntime();
        using var second = new LlmCacheRuntime();

        await new StatisticsService(first).AskAsync("a");
        await new StatisticsService(first).AskAsync("a");
        await new StatisticsService(second).AskAsync("a");

        Assert.Equal(new CacheCounts(Hits: 1, Misses: 1, Errors: 0), first.GetStatistics().Total);
        Assert.Equal(new CacheCounts(Hits: 0, Misses: 1, Errors: 0), second.GetStatistics().Total);
    }

    private static CacheCounts Method(CacheStatistics statistics, string name) =>
        Assert.Single(statistics.Methods, m => m.Key.StartsWith($"{typeof(StatisticsService).FullName}.{name}(", StringComparison.Ordinal)).Value;
}

/// <summary>The hit and miss meters carry the method's identity in <c>llmcache.method</c>.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MethodTagTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MethodTagTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LlmCacheTelemetry.Name && instrument.Name is "llmcache.hits" or "llmcache.misses")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Hits_and_misses_are_tagged_with_the_method_identity()
    {
        using var runtime = new LlmCacheRuntime();
        var service = new StatisticsService(runtime);
        string question = Guid.NewGuid().ToString("N");

        await service.AskAsync(question);
        await service.AskAsync(question);

        string identity = runtime.GetStatistics().Methods.Keys.Single();
        Assert.StartsWith(typeof(StatisticsService).FullName + ".AskAsync(", identity, StringComparison.Ordinal);
        Assert.Equal(1, Sum("llmcache.misses", identity));
        Assert.Equal(1, Sum("llmcache.hits", identity));
        Assert.All(_measurements.Where(m => Equals(m.Tags.GetValueOrDefault("llmcache.method"), identity) && m.Instrument == "llmcache.hits"), m => Assert.Equal("memory", m.Tags["llmcache.tier"]));
    }

    private long Sum(string instrument, string identity) =>
        _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("llmcache.method"), identity)).Sum(m => m.Value);
}

/// <summary>
/// With a listener on the hit counter, a memory hit still allocates nothing: the tier and method tags are strings the
/// runtime holds, passed on the stack; the statistics counters are found by reference and incremented in place.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class ListenedHitAllocationTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _hits;

    public ListenedHitAllocationTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LlmCacheTelemetry.Name && instrument.Name == "llmcache.hits")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _hits, value));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_memory_hit_counted_by_a_listening_meter_and_the_statistics_allocates_nothing()
    {
        using var runtime = new LlmCacheRuntime();
        var service = new StatisticsService(runtime);
        string stored = await service.AskAsync("q");

        long allocated = AllocationProbe.Measure(() => AllocationProbe.Synchronous(service.AskAsync("q")), out string last);

        Assert.Equal(stored, last);
        Assert.Equal(0, allocated);
        Assert.True(Interlocked.Read(ref _hits) > 0);
        Assert.True(Method(runtime).Hits > 0);
    }

    private static CacheCounts Method(LlmCacheRuntime runtime) => Assert.Single(runtime.GetStatistics().Methods).Value;
}

/// <summary>Two cached methods of one service, for the statistics tests.</summary>
public sealed partial class StatisticsService(LlmCacheRuntime runtime)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached]
    public partial string Describe(int id);

    private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new($"{question}#{Interlocked.Increment(ref _calls)}");

    private string DescribeCore(int id) => $"{id}#{Interlocked.Increment(ref _calls)}";
}
