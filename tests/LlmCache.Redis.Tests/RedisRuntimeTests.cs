using System;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>The store behind an <see cref="LlmCacheRuntime"/>, called the way generated code calls it.</summary>
public sealed class RedisRuntimeTests : IClassFixture<RedisServer>
{
    private readonly RedisServer _server;

    public RedisRuntimeTests(RedisServer server) => _server = server;

    private IDatabase Db => _server.Connection.GetDatabase();

    [Fact]
    public async Task RedisType_MissThenHit_WithTheRegistrationsDefaultTtl()
    {
        string prefix = RedisServer.UniquePrefix();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(o => Configure(o, prefix, TimeSpan.FromMinutes(3))));
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new CountingModel();

        var first = new CacheOutcome();
        var second = new CacheOutcome();
        string a = await RuntimeCalls.CallAsync(runtime, method, "hello", model, new CacheControl { Outcome = first });
        string b = await RuntimeCalls.CallAsync(runtime, method, "hello", model, new CacheControl { Outcome = second });

        Assert.Equal(CountingModel.AnswerFor("hello"), a);
        Assert.Equal(a, b);
        Assert.Equal(1, model.Calls);
        Assert.Equal(CacheOutcomeStatus.Miss, first.Status);
        Assert.Equal(CacheOutcomeStatus.Hit, second.Status);
        Assert.Equal("redis", second.Tier);

        CacheStoreKey key = RuntimeCalls.StoreKey(runtime, method, "hello");
        TimeSpan? ttl = await Db.KeyTimeToLiveAsync(key.Render(prefix));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task DualType_ARedisHitFillsMemory_AndAWriteGoesToBoth()
    {
        string prefix = RedisServer.UniquePrefix();
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Dual);
        var model = new CountingModel();
        var writer = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(o => Configure(o, prefix, null)));

        await RuntimeCalls.CallAsync(writer, method, "shared", model);

        Assert.Equal(1, writer.MemoryStore.Count);
        Assert.True(await Db.KeyExistsAsync(RuntimeCalls.StoreKey(writer, method, "shared").Render(prefix)));

        // Another process: empty memory, same Redis.
        var reader = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(o => Configure(o, prefix, null)));
        var fromRedis = new CacheOutcome();
        var fromMemory = new CacheOutcome();
        string first = await RuntimeCalls.CallAsync(reader, method, "shared", model, new CacheControl { Outcome = fromRedis });
        string second = await RuntimeCalls.CallAsync(reader, method, "shared", model, new CacheControl { Outcome = fromMemory });

        Assert.Equal(CountingModel.AnswerFor("shared"), first);
        Assert.Equal(first, second);
        Assert.Equal(1, model.Calls);
        Assert.Equal("redis", fromRedis.Tier);
        Assert.Equal("memory", fromMemory.Tier);
    }

    [Fact]
    public async Task ExistingConnection_IsUsed_AndNotDisposedWithTheStore()
    {
        await using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(_server.CreateConfiguration());
        string prefix = RedisServer.UniquePrefix();
        var store = new RedisCacheStore(connection, new RedisCacheStoreOptions { KeyPrefix = prefix });
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, store));
        var model = new CountingModel();

        await RuntimeCalls.CallAsync(runtime, RuntimeCalls.Method(CacheType.Redis), "q", model);
        await RuntimeCalls.CallAsync(runtime, RuntimeCalls.Method(CacheType.Redis), "q", model);
        await store.DisposeAsync();

        Assert.Equal(1, model.Calls);
        Assert.True(connection.IsConnected);
        Assert.True(await connection.GetDatabase().KeyExistsAsync(RuntimeCalls.StoreKey(runtime, RuntimeCalls.Method(CacheType.Redis), "q").Render(prefix)));
    }

    public static TheoryData<string> BadEntries() => new() { "random", "truncated", "checksum", "bytes-kind", "json-kind" };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task BadBytesUnderACallsKey_AreAMiss_TheModelAnswers_AndNothingThrows(string bad)
    {
        string prefix = RedisServer.UniquePrefix();
        await using var store = new RedisCacheStore(_server.StoreOptions(prefix));
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, store));
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new CountingModel();
        string redisKey = store.GetRedisKey(RuntimeCalls.StoreKey(runtime, method, "prompt"));
        byte[] value = bad switch
        {
            // Intact envelopes of another payload kind: a string method must never read them.
            "bytes-kind" => CacheEntryEnvelope.Encode(RedisCacheStoreTests.NewEntry(16, TimeSpan.FromMinutes(5), CachePayloadKind.Bytes)),
            "json-kind" => CacheEntryEnvelope.Encode(new CacheEntry("{\"x\":1}"u8.ToArray(), CachePayloadKind.Json, DateTimeOffset.UtcNow, null)),
            _ => RedisCacheStoreTests.Corrupt(bad),
        };
        await Db.StringSetAsync(redisKey, value);

        string answer = await RuntimeCalls.CallAsync(runtime, method, "prompt", model);

        Assert.Equal(CountingModel.AnswerFor("prompt"), answer);
        Assert.Equal(1, model.Calls);

        // The bad entry was replaced by the model's answer, which now hits.
        CacheEntry? stored = await store.GetAsync(RuntimeCalls.StoreKey(runtime, method, "prompt"));
        Assert.NotNull(stored);
        Assert.Equal(CachePayloadKind.Utf8String, stored.Kind);
        Assert.Equal(answer, await RuntimeCalls.CallAsync(runtime, method, "prompt", model));
        Assert.Equal(1, model.Calls);
        if (bad is not ("bytes-kind" or "json-kind"))
        {
            Assert.Equal(1, store.CorruptEntries);
        }
    }

    [Fact]
    public async Task DisposingTheRuntime_FlushesUseRedisBufferedWrites_AndClosesItsConnection()
    {
        string prefix = RedisServer.UniquePrefix();
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new CountingModel();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(o =>
        {
            Configure(o, prefix, null);
            o.FlushSize = 100;
            o.FlushInterval = Timeout.InfiniteTimeSpan;
        }));
        string[] redisKeys = new string[3];
        for (int i = 0; i < redisKeys.Length; i++)
        {
            await RuntimeCalls.CallAsync(runtime, method, "buffered " + i, model);
            redisKeys[i] = RuntimeCalls.StoreKey(runtime, method, "buffered " + i).Render(prefix);
        }

        var store = (RedisCacheStore)runtime.GetOptions().Stores[CacheType.Redis].Store;
        Assert.Equal(3, store.PendingWrites);
        Assert.All(redisKeys, k => Assert.False(Db.KeyExists(k)));

        await runtime.DisposeAsync();

        Assert.All(redisKeys, k => Assert.True(Db.KeyExists(k)));
        Assert.Equal(0, store.PendingWrites);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync(RedisCacheStoreTests.NewKey()));
    }

    [Fact]
    public async Task DisposingTheRuntime_LeavesAConnectionTheApplicationOwnsOpen()
    {
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(_server.CreateConfiguration());
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(connection, o => o.KeyPrefix = RedisServer.UniquePrefix()));
        await RuntimeCalls.CallAsync(runtime, RuntimeCalls.Method(CacheType.Redis), "q", new CountingModel());

        runtime.Dispose();

        Assert.True(connection.IsConnected);
        string probe = RedisServer.UniquePrefix() + "probe";
        await connection.GetDatabase().StringSetAsync(probe, "still open");
        Assert.Equal("still open", (string?)await connection.GetDatabase().StringGetAsync(probe));
    }

    [Fact]
    public async Task DualType_TheWritersMemoryCopyGoesWhenTheRedisKeyExpires()
    {
        string prefix = RedisServer.UniquePrefix();
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Dual);
        var model = new CountingModel();
        var options = new LlmCacheOptions { Memory = new MemoryCacheStoreOptions { DefaultTtl = TimeSpan.FromHours(1) } };
        var runtime = new LlmCacheRuntime(options.UseRedis(o => Configure(o, prefix, TimeSpan.FromSeconds(1.5))));
        await RuntimeCalls.CallAsync(runtime, method, "q", model);
        string redisKey = RuntimeCalls.StoreKey(runtime, method, "q").Render(prefix);

        // Redis drops the key after its TTL; wait for that (a condition, not a fixed sleep), then the memory copy must be gone too.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await Db.KeyExistsAsync(redisKey))
        {
            Assert.True(DateTime.UtcNow < deadline, "Redis kept the key 20 s past a 1.5 s TTL.");
            await Task.Delay(100);
        }

        var after = new CacheOutcome();
        await RuntimeCalls.CallAsync(runtime, method, "q", model, new CacheControl { Outcome = after });

        Assert.Equal(CacheOutcomeStatus.Miss, after.Status);
        Assert.Equal(2, model.Calls);
    }

    private void Configure(RedisCacheStoreOptions options, string prefix, TimeSpan? defaultTtl)
    {
        options.Host = "127.0.0.1";
        options.Port = _server.Port;
        options.UseEnvironment = false;
        options.KeyPrefix = prefix;
        options.DefaultTtl = defaultTtl;
    }
}
