using System;
using System.Threading.Tasks;
using LlmCache.Testing;

namespace LlmCache.Stores.Tests;

/// <summary>
/// How often a miss reads the remote tier. The miss path reads it before joining a flight (so remote hits skip the
/// single-flight machinery), and the flight's leader looks again only when that can find something the first read
/// could not: an entry another flight of this process stored in between, without a memory tier to find it in.
/// </summary>
public sealed class MissReadTests
{
    private readonly FaultyStore _store = new("remote-" + Guid.NewGuid().ToString("N"));
    private readonly CountingImplementation _implementation = new();

    private LlmCacheRuntime CreateRuntime(CacheType registeredAs)
    {
        var options = new LlmCacheOptions();
        options.Resilience.FailuresBeforeBreak = 1000;
        options.UseStore(registeredAs, _store);
        return new LlmCacheRuntime(options);
    }

    [Fact]
    public async Task A_miss_over_a_failing_store_reads_it_once_not_twice()
    {
        _store.Mode = FaultMode.Failing;
        LlmCacheRuntime runtime = CreateRuntime(CacheType.Custom);

        string answer = await CachedCalls.AskAsync(runtime, CachedCalls.Method(CacheType.Custom, null), "q", default, _implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 1), answer);
        Assert.Equal(2, _store.Calls); // the read that failed, then the write; a second read would wait out a second timeout
    }

    [Fact]
    public async Task A_dual_miss_reads_the_remote_tier_once_the_memory_tier_catches_earlier_flights()
    {
        LlmCacheRuntime runtime = CreateRuntime(CacheType.Redis);
        CachedMethod<string> method = CachedCalls.Method(CacheType.Dual, null);

        await CachedCalls.AskAsync(runtime, method, "q", default, _implementation.InvokeAsync);
        Assert.Equal(2, _store.Calls); // one read, one write

        var outcome = new CacheOutcome();
        Assert.Equal(CountingImplementation.AnswerFor("q", 1), await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Outcome = outcome }, _implementation.InvokeAsync));
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal(2, _store.Calls); // served from memory
    }

    [Fact]
    public async Task A_miss_over_a_remote_only_store_looks_again_inside_the_flight()
    {
        LlmCacheRuntime runtime = CreateRuntime(CacheType.Custom);

        await CachedCalls.AskAsync(runtime, CachedCalls.Method(CacheType.Custom, null), "q", default, _implementation.InvokeAsync);

        Assert.Equal(3, _store.Calls); // read, the leader's second look, write
    }
}
