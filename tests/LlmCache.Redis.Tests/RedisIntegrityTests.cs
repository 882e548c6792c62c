using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Testing;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>Integrity against a real redis-server: entries planted with plain SET commands.</summary>
public class RedisIntegrityTests : IntegrityContractTests, IClassFixture<RedisServer>
{
    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly RedisServer _server;

    public RedisIntegrityTests(RedisServer server) => _server = server;

    protected override CacheType RuntimeType => CacheType.Redis;

    private IDatabase Db => _server.Connection.GetDatabase();

    protected override void Register(LlmCacheOptions options) =>
        options.UseStore(CacheType.Redis, new RedisCacheStore(_server.Connection, _server.StoreOptions(_prefix)));

    protected override async Task<byte[]?> ReadStoredAsync(CacheStoreKey key) => (byte[]?)await Db.StringGetAsync(key.Render(_prefix));

    protected override async Task WriteStoredAsync(CacheStoreKey key, byte[] stored) => await Db.StringSetAsync(key.Render(_prefix), stored);
}

/// <summary>The same through <see cref="CacheType.Dual"/>: the memory tier in front changes nothing about what Redis may serve.</summary>
public sealed class DualIntegrityTests : RedisIntegrityTests
{
    public DualIntegrityTests(RedisServer server)
        : base(server)
    {
    }

    protected override CacheType RuntimeType => CacheType.Dual;
}
