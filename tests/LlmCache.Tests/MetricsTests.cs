using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// No other test runs beside these: the in-flight gauge has no tag to tell one test's calls from another's, and a
/// listener's callbacks run on the thread that records, so they would count in other tests' allocation figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}

/// <summary>The "LlmCache" meter's figures for a miss stored in a remote store, a remote hit, and a failing store, read through a <see cref="MeterListener"/>.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly string _storeName = "metrics-" + Guid.NewGuid().ToString("N")[..8];

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LlmCacheTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_stored_miss_and_a_remote_hit_report_hits_misses_bytes_durations_and_the_call_in_flight()
    {
        var backend = new NamedStore(_storeName, new MemoryCacheStore(new MemoryCacheStoreOptions()));
        var writer = new GatedService(Runtime(backend));
        Task<string> miss = writer.AnswerAsync("q").AsTask();
        await WaitUntil(() => Sum("llmcache.calls.in_flight") == 1);
        writer.Open();
        string answer = await miss;
        Assert.Equal(0, Sum("llmcache.calls.in_flight"));

        var reader = new GatedService(Runtime(backend));
        Assert.Equal(answer, await reader.AnswerAsync("q"));

        int payload = System.Text.Encoding.UTF8.GetByteCount(answer);
        Assert.Equal(payload, Sum("llmcache.store.bytes", ("llmcache.operation", "write")));
        Assert.Equal(payload, Sum("llmcache.store.bytes", ("llmcache.operation", "read")));
        Assert.Equal(1, Sum("llmcache.hits"));
        Assert.True(Count("llmcache.misses") >= 1);

        // The writer's miss read the store (twice: before and inside the single flight) and wrote once; the reader read once.
        List<(string Instrument, double Value, Dictionary<string, object?> Tags)> durations = Mine("llmcache.store.operation.duration");
        Assert.Equal(1, durations.Count(d => Equals(d.Tags["llmcache.operation"], "write")));
        Assert.True(durations.Count(d => Equals(d.Tags["llmcache.operation"], "read")) >= 2);
        Assert.All(durations, d => Assert.Equal("ok", d.Tags["llmcache.outcome"]));
        Assert.All(durations, d => Assert.True(d.Value >= 0 && d.Value < 60, $"a duration of {d.Value} s"));
    }

    [Fact]
    public async Task A_failing_store_reports_its_errors_and_failed_durations()
    {
        var backend = new NamedStore(_storeName, new MemoryCacheStore(new MemoryCacheStoreOptions())) { Fail = true };
        var service = new GatedService(Runtime(backend));
        service.Open();
        await service.AnswerAsync("q");

        List<(string Instrument, double Value, Dictionary<string, object?> Tags)> durations = Mine("llmcache.store.operation.duration");
        Assert.NotEmpty(durations);
        Assert.All(durations, d => Assert.Equal("error", d.Tags["llmcache.outcome"]));
        Assert.Equal(durations.Count, Sum("llmcache.store.errors"));
        Assert.Equal(0, Sum("llmcache.store.bytes"));
    }

    private LlmCacheRuntime Runtime(ICacheStore store) =>
        new(new LlmCacheOptions { DefaultType = CacheType.Custom }.UseStore(CacheType.Custom, store));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }

    /// <summary>This test's measurements: those tagged with its store, and the untagged in-flight gauge.</summary>
    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Mine(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument && (instrument == "llmcache.calls.in_flight" || (m.Tags.TryGetValue("llmcache.tier", out object? tier) && Equals(tier, _storeName)))).ToList();

    private double Sum(string instrument, (string Key, string Value)? tag = null) =>
        Mine(instrument).Where(m => tag is not { } t || Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)).Sum(m => m.Value);

    private int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>A store under a name of the test's own, so its measurements can be told from other tests'.</summary>
    private sealed class NamedStore(string name, ICacheStore inner) : ICacheStore
    {
        public string Name => name;

        public bool Fail { get; init; }

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
            Fail ? throw new System.IO.IOException("down") : inner.GetAsync(key, cancellationToken);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) =>
            Fail ? throw new System.IO.IOException("down") : inner.SetAsync(key, entry, cancellationToken);

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => inner.ClearNamespaceAsync(@namespace, cancellationToken);
    }
}
