using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>The "LlmCache" <see cref="ActivitySource"/> traces the miss path: the lookup, each store read and write, the model call.</summary>
public sealed class TracingTests : IDisposable
{
    private const string Prompt = "a private prompt";

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private ActivityTraceId _trace;
    private readonly ManualTimeProvider _time = new();
    private readonly MemoryCacheStore _remoteBackend;
    private readonly CachedMethod<string> _method = new("LlmCache.Tests.Traced.Ask(string)#v0", CacheType.Dual, 0, null, CacheValueSerializer.String);

    public TracingTests()
    {
        _remoteBackend = new MemoryCacheStore(new MemoryCacheStoreOptions(), _time);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LlmCacheTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_miss_traces_the_lookup_the_store_read_the_model_call_and_the_store_write()
    {
        using Activity test = StartTest();
        var outcome = new CacheOutcome();
        await CallAsync(Dual(), new CacheControl { Outcome = outcome });

        Activity lookup = Single("llmcache.lookup");
        Assert.Equal(_method.Identity, lookup.GetTagItem("llmcache.method"));
        Assert.Equal("miss", lookup.GetTagItem("llmcache.outcome"));
        Assert.Equal(outcome.Key, lookup.GetTagItem("llmcache.key"));
        // A miss reads the remote tier before it joins the single flight and again in it, for an entry stored meanwhile.
        List<Activity> reads = All("llmcache.store.read");
        Assert.NotEmpty(reads);
        Assert.All(reads, read => Assert.Equal(("remote", "miss"), (read.GetTagItem("llmcache.tier"), read.GetTagItem("llmcache.outcome"))));
        Activity call = Single("llmcache.call");
        Activity write = Single("llmcache.store.write");
        Assert.Equal("remote", write.GetTagItem("llmcache.tier"));
        Assert.All(new List<Activity>(reads) { call, write }, child => Assert.Equal(lookup.SpanId, child.ParentSpanId));
        AssertNoTagHoldsThePrompt();
    }

    [Fact]
    public async Task A_remote_hit_traces_the_lookup_and_the_read_and_a_memory_hit_traces_nothing()
    {
        using Activity test = StartTest();
        await CallAsync(Dual(), default);
        _stopped.Clear();
        LlmCacheRuntime reader = Dual();

        await CallAsync(reader, default);
        Activity lookup = Single("llmcache.lookup");
        Assert.Equal("hit", lookup.GetTagItem("llmcache.outcome"));
        Assert.Equal("remote", lookup.GetTagItem("llmcache.tier"));
        Assert.Equal("hit", Single("llmcache.store.read").GetTagItem("llmcache.outcome"));
        Assert.DoesNotContain(Mine(), a => a.OperationName == "llmcache.call");

        _stopped.Clear();
        var outcome = new CacheOutcome();
        await CallAsync(reader, new CacheControl { Outcome = outcome });
        Assert.Equal("memory", outcome.Tier);
        Assert.Empty(Mine());
    }

    [Fact]
    public async Task A_failing_store_read_is_traced_as_an_error_and_the_call_still_answers()
    {
        using Activity test = StartTest();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time, Resilience = new ResilienceOptions { Enabled = false } }
            .UseStore(CacheType.Custom, new FailingStore()));
        var method = new CachedMethod<string>("LlmCache.Tests.Traced.Fail(string)#v0", CacheType.Custom, 0, null, CacheValueSerializer.String);

        Assert.Equal(Prompt + "!", await CallAsync(runtime, default, method));

        List<Activity> reads = All("llmcache.store.read");
        Assert.NotEmpty(reads);
        Assert.All(reads, read => Assert.Equal((ActivityStatusCode.Error, "error"), (read.Status, read.GetTagItem("llmcache.outcome"))));
        Assert.Equal(ActivityStatusCode.Error, Single("llmcache.store.write").Status);
    }

    private LlmCacheRuntime Dual() =>
        new(new LlmCacheOptions { TimeProvider = _time, DefaultType = CacheType.Dual, Resilience = new ResilienceOptions { Enabled = false } }
            .UseStore(CacheType.Redis, new RenamedStore(_remoteBackend)));

    private ValueTask<string> CallAsync(LlmCacheRuntime runtime, CacheControl control, CachedMethod<string>? method = null)
    {
        method ??= _method;
        var writer = new CacheKeyWriter(stackalloc byte[256], runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(Prompt));
        byte[] key;
        try
        {
            runtime.WriteKeyHeader(ref writer, method, control);
            writer.WriteString(Prompt);
            if (runtime.TryGetCached(method, control, writer.WrittenSpan, out CacheKeyHash hash, out string cached))
            {
                return new ValueTask<string>(cached);
            }

            key = writer.WrittenSpan.ToArray();
            return runtime.GetOrCreateAsync(method, control, key, hash, Prompt, static (p, _) => new ValueTask<string>(p + "!"), CancellationToken.None);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>A parent for this test's activities, so that those of other tests running side by side are told apart.</summary>
    private Activity StartTest()
    {
        Activity test = new Activity("tracing-test").Start();
        _trace = test.TraceId;
        return test;
    }

    private List<Activity> Mine() => _stopped.Where(a => a.TraceId == _trace).ToList();

    private Activity Single(string name) => Assert.Single(Mine(), a => a.OperationName == name);

    private List<Activity> All(string name) => Mine().Where(a => a.OperationName == name).ToList();

    private void AssertNoTagHoldsThePrompt()
    {
        foreach (Activity activity in Mine())
        {
            foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
            {
                Assert.DoesNotContain(Prompt, tag.Value?.ToString() ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    private sealed class RenamedStore(MemoryCacheStore inner) : ICacheStore
    {
        public string Name => "remote";

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) => inner.SetAsync(key, entry, cancellationToken);

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => inner.ClearNamespaceAsync(@namespace, cancellationToken);
    }
}
