using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.SharedTests;

namespace LlmCache.Redis.Tests;

/// <summary>Microsoft.Extensions.AI results of generated methods, stored in Redis through MEAI's own JSON and read back equal.</summary>
public sealed class RedisMeaiResultTests : IClassFixture<RedisServer>
{
    private readonly RedisServer _server;

    public RedisMeaiResultTests(RedisServer server) => _server = server;

    [Fact]
    public async Task A_redis_hit_equals_the_original_result()
    {
        string prefix = RedisServer.UniquePrefix();
        using var writer = new LlmCacheRuntime(Options(prefix));
        using var reader = new LlmCacheRuntime(Options(prefix));

        await MeaiRoundTrip.RunAsync(writer, reader, "redis");
    }

    private LlmCacheOptions Options(string prefix) =>
        new LlmCacheOptions { DefaultType = CacheType.Redis }.UseRedis(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = _server.Port;
            o.UseEnvironment = false;
            o.KeyPrefix = prefix;
        });
}
