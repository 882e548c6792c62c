using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.SharedTests;
using Microsoft.Extensions.AI;

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

    [Fact]
    public async Task A_redis_hit_that_fills_the_memory_tier_hands_its_caller_a_copy()
    {
        string prefix = RedisServer.UniquePrefix();
        using var writer = new LlmCacheRuntime(Options(prefix, CacheType.Dual));
        using var reader = new LlmCacheRuntime(Options(prefix, CacheType.Dual));
        await new MeaiResultService(writer).ChatAsync("weather?");
        var service = new MeaiResultService(reader);

        // The reader's first call is a Redis hit, kept in its memory tier too; its caller changes what it got.
        Mutate(await service.ChatAsync("weather?"));
        ChatResponse fromMemory = await service.ChatAsync("weather?");

        AssertUnchanged(fromMemory);
        Assert.Equal(0, service.Calls);
    }

    [Fact]
    public async Task A_redis_hit_without_a_memory_tier_is_its_callers_to_change()
    {
        string prefix = RedisServer.UniquePrefix();
        using var runtime = new LlmCacheRuntime(Options(prefix));
        var service = new MeaiResultService(runtime);
        await service.ChatAsync("weather?");

        Mutate(await service.ChatAsync("weather?"));
        ChatResponse next = await service.ChatAsync("weather?");

        AssertUnchanged(next);
        Assert.Equal(1, service.Calls);
    }

    private static void Mutate(ChatResponse response)
    {
        ((TextContent)response.Messages[2].Contents[0]).Text = "changed";
        response.Messages[2].Contents.Add(new TextContent(" (edited)"));
        response.AdditionalProperties!["service_tier"] = "edited";
        response.Usage!.InputTokenCount = 1;
    }

    private static void AssertUnchanged(ChatResponse response)
    {
        ChatResponse original = MeaiSamples.ChatResponse();
        Assert.Equal(((TextContent)original.Messages[2].Contents[0]).Text, Assert.IsType<TextContent>(Assert.Single(response.Messages[2].Contents)).Text);
        Assert.Equal(original.AdditionalProperties!["service_tier"]?.ToString(), response.AdditionalProperties!["service_tier"]?.ToString());
        Assert.Equal(original.Usage!.InputTokenCount, response.Usage!.InputTokenCount);
    }

    private LlmCacheOptions Options(string prefix, CacheType type = CacheType.Redis) =>
        new LlmCacheOptions { DefaultType = type }.UseRedis(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = _server.Port;
            o.UseEnvironment = false;
            o.KeyPrefix = prefix;
        });
}
