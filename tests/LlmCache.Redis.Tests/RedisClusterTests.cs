using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>The store against a real 3-master Redis Cluster.</summary>
public sealed class RedisClusterTests : IClassFixture<RedisClusterFixture>
{
    private readonly RedisClusterFixture _cluster;

    public RedisClusterTests(RedisClusterFixture cluster) => _cluster = cluster;

    private IDatabase Db => _cluster.Connection.GetDatabase();

    private long KeysOn(RedisServer node, string prefix) =>
        _cluster.Connection.GetServer("127.0.0.1", node.Port).Keys(0, prefix + "*", 1000).LongCount();

    [Fact]
    public async Task EntriesSpreadOverEveryMaster_AndRoundTrip()
    {
        string prefix = RedisServer.UniquePrefix();
        await using var store = new RedisCacheStore(_cluster.StoreOptions(prefix));
        CacheStoreKey[] keys = Enumerable.Range(0, 120).Select(_ => RedisCacheStoreTests.NewKey()).ToArray();
        CacheEntry[] entries = keys.Select(_ => RedisCacheStoreTests.NewEntry(ttl: TimeSpan.FromMinutes(5))).ToArray();

        for (int i = 0; i < keys.Length; i++)
        {
            await store.SetAsync(keys[i], entries[i]);
        }

        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(entries[i].Payload.ToArray(), (await store.GetAsync(keys[i]))!.Payload.ToArray());
            Assert.NotNull(await Db.KeyTimeToLiveAsync(store.GetRedisKey(keys[i])));
        }

        Assert.All(_cluster.Nodes, node => Assert.True(KeysOn(node, prefix) > 0, $"no entry on {node.EndPoint}"));
    }

    [Fact]
    public async Task UnreadableEntriesOnEveryMaster_AreDeletedByTheSingleKeyScript()
    {
        string prefix = RedisServer.UniquePrefix();
        await using var store = new RedisCacheStore(_cluster.StoreOptions(prefix));
        CacheStoreKey[] keys = Enumerable.Range(0, 30).Select(_ => RedisCacheStoreTests.NewKey()).ToArray();
        foreach (CacheStoreKey key in keys)
        {
            await Db.StringSetAsync(store.GetRedisKey(key), RedisCacheStoreTests.Corrupt("random"));
        }

        Assert.All(_cluster.Nodes, node => Assert.True(KeysOn(node, prefix) > 0, $"no entry on {node.EndPoint}"));
        foreach (CacheStoreKey key in keys)
        {
            Assert.Null(await store.GetAsync(key));
        }

        Assert.Equal(keys.Length, store.CorruptEntries);
        Assert.Equal(0, _cluster.Nodes.Sum(node => KeysOn(node, prefix)));
    }

    [Fact]
    public async Task ClearNamespace_ScansEveryMaster_AndKeepsOtherNamespaces()
    {
        string prefix = RedisServer.UniquePrefix();
        await using var store = new RedisCacheStore(_cluster.StoreOptions(prefix));
        CacheStoreKey[] cleared = Enumerable.Range(0, 90).Select(_ => RedisCacheStoreTests.NewKey("gone")).ToArray();
        CacheStoreKey[] kept = Enumerable.Range(0, 30).Select(_ => RedisCacheStoreTests.NewKey("kept")).ToArray();
        foreach (CacheStoreKey key in cleared.Concat(kept))
        {
            await store.SetAsync(key, RedisCacheStoreTests.NewEntry());
        }

        await store.ClearNamespaceAsync("gone");

        Assert.All(cleared, key => Assert.False(Db.KeyExists(store.GetRedisKey(key))));
        Assert.All(kept, key => Assert.True(Db.KeyExists(store.GetRedisKey(key))));
        Assert.Equal(kept.Length, _cluster.Nodes.Sum(node => KeysOn(node, prefix)));
    }

    [Fact]
    public async Task BatchedWrites_AcrossSlots_AllLand()
    {
        string prefix = RedisServer.UniquePrefix();
        RedisCacheStoreOptions options = _cluster.StoreOptions(prefix);
        options.FlushSize = 25;
        options.FlushInterval = Timeout.InfiniteTimeSpan;
        await using var store = new RedisCacheStore(options);
        CacheStoreKey[] keys = Enumerable.Range(0, 50).Select(_ => RedisCacheStoreTests.NewKey()).ToArray();

        foreach (CacheStoreKey key in keys)
        {
            await store.SetAsync(key, RedisCacheStoreTests.NewEntry(ttl: TimeSpan.FromMinutes(1)));
        }

        Assert.Equal(0, store.PendingWrites);
        Assert.All(keys, key => Assert.True(Db.KeyExists(store.GetRedisKey(key))));
        Assert.Equal(keys.Length, _cluster.Nodes.Sum(node => KeysOn(node, prefix)));
    }

    [Fact]
    public async Task UnreadableBytes_OnTheCluster_AreAMiss_AndDeleted()
    {
        await using var store = new RedisCacheStore(_cluster.StoreOptions());
        CacheStoreKey key = RedisCacheStoreTests.NewKey();
        await Db.StringSetAsync(store.GetRedisKey(key), RedisCacheStoreTests.Corrupt("random"));

        Assert.Null(await store.GetAsync(key));
        Assert.Equal(1, store.CorruptEntries);

        // The delete runs off the reader's path, on the store's own connection: it lands soon, not before GetAsync returns.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await Db.KeyExistsAsync(store.GetRedisKey(key)) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.False(await Db.KeyExistsAsync(store.GetRedisKey(key)));
    }
}
