using System;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Testing;

namespace LlmCache.Redis.Tests;

/// <summary>
/// The contract of <see cref="CacheType.Dual"/>: the runtime's memory store in front of a real redis-server. Dual is
/// a composition inside the runtime, not an <see cref="ICacheStore"/>, so every test goes through the runtime as
/// generated code does, and checks each tier's part: what the outcome names as the tier, and what Redis holds.
/// </summary>
public sealed class DualLayoutContractTests : IClassFixture<RedisServer>
{
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly RedisServer _server;
    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly CountingImplementation _implementation = new();
    private readonly CachedMethod<string> _method = CachedCalls.Method(CacheType.Dual, "dual-" + Guid.NewGuid().ToString("N"));

    public DualLayoutContractTests(RedisServer server) => _server = server;

    [Fact]
    public async Task A_miss_fills_both_tiers_the_next_call_is_a_memory_hit_and_a_new_process_reads_Redis()
    {
        RedisCacheStore redis = NewStore();
        LlmCacheRuntime first = NewRuntime(redis);

        string answer = await AskAsync(first, "hello");
        Assert.Equal(CountingImplementation.AnswerFor("hello", 1), answer);
        Assert.Equal(answer, await StoredAsync(redis, first, "hello"));

        (string again, string? tier) = await AskWithTierAsync(first, "hello");
        Assert.Equal(answer, again);
        Assert.Equal("memory", tier);

        // A new runtime has an empty memory store: Redis answers, and the memory store keeps a copy.
        LlmCacheRuntime second = NewRuntime(NewStore());
        Assert.Equal((answer, "redis"), await AskWithTierAsync(second, "hello"));
        Assert.Equal((answer, "memory"), await AskWithTierAsync(second, "hello"));
        Assert.Equal(1, _implementation.Calls);
    }

    [Fact]
    public async Task No_cache_refreshes_both_tiers_and_no_store_writes_neither()
    {
        RedisCacheStore redis = NewStore();
        LlmCacheRuntime runtime = NewRuntime(redis);
        await AskAsync(runtime, "q");

        string refreshed = await AskAsync(runtime, "q", CacheControl.Refresh);
        Assert.Equal(CountingImplementation.AnswerFor("q", 2), refreshed);
        Assert.Equal((refreshed, "memory"), await AskWithTierAsync(runtime, "q"));
        Assert.Equal(refreshed, await StoredAsync(redis, runtime, "q"));

        string unstored = await AskAsync(runtime, "other", new CacheControl { NoStore = true });
        Assert.Equal(CountingImplementation.AnswerFor("other", 3), unstored);
        Assert.Null(await StoredAsync(redis, runtime, "other"));
        Assert.Equal(CountingImplementation.AnswerFor("other", 4), await AskAsync(runtime, "other"));
    }

    [Fact]
    public async Task A_per_call_ttl_expires_the_entry_in_both_tiers()
    {
        RedisCacheStore redis = NewStore();
        LlmCacheRuntime runtime = NewRuntime(redis);
        var clock = Stopwatch.StartNew();
        string answer = await AskAsync(runtime, "q", new CacheControl { Ttl = ShortTtl });
        Assert.Equal(answer, await StoredAsync(redis, runtime, "q"));

        // The memory copy goes with the TTL: the runtime calls the implementation again.
        while (await AskAsync(runtime, "q") == answer)
        {
            Assert.True(clock.Elapsed < Deadline, $"The memory tier still served the entry {clock.Elapsed} after a TTL of {ShortTtl}.");
            await Task.Delay(100);
        }

        Assert.True(clock.Elapsed >= ShortTtl - TimeSpan.FromMilliseconds(50), $"The entry went after {clock.Elapsed}, before its TTL of {ShortTtl}.");

        // The call after expiry stored a fresh entry without the short TTL; the old one had gone from Redis too.
        Assert.Equal(CountingImplementation.AnswerFor("q", 2), await StoredAsync(redis, runtime, "q"));
    }

    [Fact]
    public async Task With_Redis_gone_the_memory_tier_still_serves_and_no_caller_sees_an_exception()
    {
        using var server = new RedisServer();
        RedisCacheStoreOptions options = server.StoreOptions(_prefix);
        options.OperationTimeout = TimeSpan.FromMilliseconds(500);
        await using var redis = new RedisCacheStore(options);
        var runtimeOptions = new LlmCacheOptions();
        runtimeOptions.Resilience.StoreTimeout = options.OperationTimeout;
        LlmCacheRuntime runtime = new(runtimeOptions.UseStore(CacheType.Redis, redis));
        string answer = await AskAsync(runtime, "kept");
        Assert.Equal(answer, await StoredAsync(redis, runtime, "kept"));

        server.Stop();

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal((answer, "memory"), await AskWithTierAsync(runtime, "kept"));
            Assert.Equal(CountingImplementation.AnswerFor("new " + i, 2 + i), await AskAsync(runtime, "new " + i));
        }
    }

    [Fact]
    public async Task Concurrent_calls_each_get_the_answer_for_their_own_prompt_and_Redis_holds_it()
    {
        RedisCacheStore redis = NewStore();
        LlmCacheRuntime runtime = NewRuntime(redis);
        var calls = new Task<string>[64];
        for (int i = 0; i < calls.Length; i++)
        {
            string prompt = "p" + (i % 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
            calls[i] = Task.Run(() => AskAsync(runtime, prompt).AsTask());
        }

        string[] answers = await Task.WhenAll(calls);

        for (int i = 0; i < answers.Length; i++)
        {
            string prompt = "p" + (i % 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith(prompt + " -> answer ", answers[i], StringComparison.Ordinal);
            Assert.StartsWith(prompt + " -> answer ", await StoredAsync(redis, runtime, prompt), StringComparison.Ordinal);
        }

        Assert.InRange(_implementation.Calls, 8, calls.Length);
    }

    private RedisCacheStore NewStore() => new(_server.Connection, _server.StoreOptions(_prefix));

    private static LlmCacheRuntime NewRuntime(RedisCacheStore redis) => new(new LlmCacheOptions().UseStore(CacheType.Redis, redis));

    private ValueTask<string> AskAsync(LlmCacheRuntime runtime, string prompt, CacheControl control = default) =>
        CachedCalls.AskAsync(runtime, _method, prompt, control, _implementation.InvokeAsync);

    private async Task<(string Answer, string? Tier)> AskWithTierAsync(LlmCacheRuntime runtime, string prompt)
    {
        var outcome = new CacheOutcome();
        string answer = await AskAsync(runtime, prompt, new CacheControl { Outcome = outcome });
        return (answer, outcome.IsHit ? outcome.Tier : null);
    }

    /// <summary>The answer Redis itself holds for <paramref name="prompt"/>, read behind the runtime's back.</summary>
    private async Task<string?> StoredAsync(RedisCacheStore redis, LlmCacheRuntime runtime, string prompt)
    {
        CacheEntry? entry = await redis.GetAsync(CachedCalls.StoreKey(runtime, _method, prompt));
        return entry is null ? null : Encoding.UTF8.GetString(entry.Payload.Span);
    }
}
