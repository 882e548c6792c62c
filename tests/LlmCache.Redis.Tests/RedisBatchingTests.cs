using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>Write batching: the reference's <c>redis_flush_size</c>.</summary>
public sealed class RedisBatchingTests : IClassFixture<RedisServer>
{
    private readonly RedisServer _server;

    public RedisBatchingTests(RedisServer server) => _server = server;

    private IDatabase Db => _server.Connection.GetDatabase();

    private RedisCacheStore CreateStore(int flushSize, TimeSpan flushInterval)
    {
        RedisCacheStoreOptions options = _server.StoreOptions();
        options.FlushSize = flushSize;
        options.FlushInterval = flushInterval;
        return new RedisCacheStore(options);
    }

    [Fact]
    public async Task Writes_WaitUntilFlushSize_ThenAllLand_AndReadsSeeThemMeanwhile()
    {
        await using RedisCacheStore store = CreateStore(10, Timeout.InfiniteTimeSpan);
        CacheStoreKey[] keys = Enumerable.Range(0, 10).Select(_ => RedisCacheStoreTests.NewKey()).ToArray();
        CacheEntry[] entries = keys.Select(_ => RedisCacheStoreTests.NewEntry(ttl: TimeSpan.FromMinutes(5))).ToArray();

        for (int i = 0; i < 9; i++)
        {
            await store.SetAsync(keys[i], entries[i]);
        }

        Assert.Equal(9, store.PendingWrites);
        for (int i = 0; i < 9; i++)
        {
            Assert.False(await Db.KeyExistsAsync(store.GetRedisKey(keys[i])));
            CacheEntry? buffered = await store.GetAsync(keys[i]);
            Assert.NotNull(buffered);
            Assert.Equal(entries[i].Payload.ToArray(), buffered.Payload.ToArray());
        }

        await store.SetAsync(keys[9], entries[9]);

        Assert.Equal(0, store.PendingWrites);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(await Db.KeyExistsAsync(store.GetRedisKey(keys[i])));
            TimeSpan? ttl = await Db.KeyTimeToLiveAsync(store.GetRedisKey(keys[i]));
            Assert.NotNull(ttl);
            Assert.Equal(entries[i].Payload.ToArray(), (await store.GetAsync(keys[i]))!.Payload.ToArray());
        }
    }

    [Fact]
    public async Task AReadSeesTheLatestBufferedWrite()
    {
        await using RedisCacheStore store = CreateStore(100, Timeout.InfiniteTimeSpan);
        CacheStoreKey key = RedisCacheStoreTests.NewKey();
        await store.SetAsync(key, RedisCacheStoreTests.NewEntry());
        await store.FlushAsync();
        CacheEntry newer = RedisCacheStoreTests.NewEntry();

        await store.SetAsync(key, newer);

        Assert.Equal(newer.Payload.ToArray(), (await store.GetAsync(key))!.Payload.ToArray());
    }

    [Fact]
    public async Task Dispose_FlushesWhatIsLeft()
    {
        RedisCacheStore store = CreateStore(100, Timeout.InfiniteTimeSpan);
        CacheStoreKey[] keys = Enumerable.Range(0, 3).Select(_ => RedisCacheStoreTests.NewKey()).ToArray();
        foreach (CacheStoreKey key in keys)
        {
            await store.SetAsync(key, RedisCacheStoreTests.NewEntry());
        }

        string[] redisKeys = keys.Select(store.GetRedisKey).ToArray();
        Assert.All(redisKeys, k => Assert.False(Db.KeyExists(k)));

        store.Dispose();

        Assert.All(redisKeys, k => Assert.True(Db.KeyExists(k)));
    }

    [Fact]
    public async Task TheTimer_FlushesASmallBatch()
    {
        await using RedisCacheStore store = CreateStore(1000, TimeSpan.FromMilliseconds(50));
        CacheStoreKey key = RedisCacheStoreTests.NewKey();
        await store.SetAsync(key, RedisCacheStoreTests.NewEntry());

        var clock = Stopwatch.StartNew();
        while (!await Db.KeyExistsAsync(store.GetRedisKey(key)) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.True(await Db.KeyExistsAsync(store.GetRedisKey(key)));
        Assert.Equal(0, store.PendingWrites);
    }

    [Fact]
    public async Task ABufferedWrite_ThatIsRemoved_IsNeverWritten()
    {
        await using RedisCacheStore store = CreateStore(2, Timeout.InfiniteTimeSpan);
        CacheStoreKey removed = RedisCacheStoreTests.NewKey();
        await store.SetAsync(removed, RedisCacheStoreTests.NewEntry());

        Assert.True(await store.RemoveAsync(removed));
        CacheStoreKey[] written = [RedisCacheStoreTests.NewKey(), RedisCacheStoreTests.NewKey()];
        await store.SetAsync(written[0], RedisCacheStoreTests.NewEntry());
        await store.SetAsync(written[1], RedisCacheStoreTests.NewEntry());
        await store.FlushAsync();

        // The flushes did happen (the other writes landed), so the removed entry's absence means something.
        Assert.All(written, key => Assert.True(Db.KeyExists(store.GetRedisKey(key))));
        Assert.Null(await store.GetAsync(removed));
        Assert.False(await Db.KeyExistsAsync(store.GetRedisKey(removed)));
    }

    [Fact]
    public async Task ClearNamespace_DropsBufferedWritesOfThatNamespace()
    {
        await using RedisCacheStore store = CreateStore(100, Timeout.InfiniteTimeSpan);
        CacheStoreKey cleared = RedisCacheStoreTests.NewKey("gone");
        CacheStoreKey kept = RedisCacheStoreTests.NewKey("kept");
        await store.SetAsync(cleared, RedisCacheStoreTests.NewEntry());
        await store.SetAsync(kept, RedisCacheStoreTests.NewEntry());

        await store.ClearNamespaceAsync("gone");
        await store.FlushAsync();

        Assert.Null(await store.GetAsync(cleared));
        Assert.False(await Db.KeyExistsAsync(store.GetRedisKey(cleared)));
        Assert.True(await Db.KeyExistsAsync(store.GetRedisKey(kept)));
    }

    [Fact]
    public async Task ThroughTheRuntime_CallsHitFromTheBuffer_AndLandInRedisAtFlushSize()
    {
        await using RedisCacheStore store = CreateStore(5, Timeout.InfiniteTimeSpan);
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, store));
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new CountingModel();

        for (int i = 0; i < 4; i++)
        {
            await RuntimeCalls.CallAsync(runtime, method, $"p{i}", model);
            await RuntimeCalls.CallAsync(runtime, method, $"p{i}", model);
        }

        Assert.Equal(4, model.Calls);
        Assert.False(await Db.KeyExistsAsync(store.GetRedisKey(RuntimeCalls.StoreKey(runtime, method, "p0"))));

        await RuntimeCalls.CallAsync(runtime, method, "p4", model);

        for (int i = 0; i < 5; i++)
        {
            Assert.True(await Db.KeyExistsAsync(store.GetRedisKey(RuntimeCalls.StoreKey(runtime, method, $"p{i}"))));
        }
    }
}
