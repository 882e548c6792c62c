using LlmCache.Redis.Tests.Servers;
using LlmCache.Testing;

namespace LlmCache.Redis.Tests;

/// <summary>The shared store contract against one real redis-server.</summary>
public sealed class RedisStoreContractTests : StoreContractTests, IClassFixture<RedisServer>
{
    // One prefix per test, so every store a test creates shares one keyspace: "a new store over the same backend".
    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly RedisServer _server;

    public RedisStoreContractTests(RedisServer server) => _server = server;

    protected override ICacheStore CreateStore() => new RedisCacheStore(_server.Connection, _server.StoreOptions(_prefix));
}

/// <summary>The shared store contract against a real 3-master Redis Cluster.</summary>
public sealed class RedisClusterStoreContractTests : StoreContractTests, IClassFixture<RedisClusterFixture>
{
    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly RedisClusterFixture _cluster;

    public RedisClusterStoreContractTests(RedisClusterFixture cluster) => _cluster = cluster;

    protected override ICacheStore CreateStore() => new RedisCacheStore(_cluster.Connection, _cluster.StoreOptions(_prefix));
}
