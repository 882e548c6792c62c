using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using LlmCache.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>The Redis store from configuration: LiteLLM's own <c>cache_params</c> example, mistakes, and reloads.</summary>
public sealed class RedisConfigurationTests : IClassFixture<PasswordRedisServer>
{
    private readonly PasswordRedisServer _server;

    public RedisConfigurationTests(PasswordRedisServer server) => _server = server;

    [Fact]
    public async Task LiteLlms_redis_cache_params_example_gets_a_working_store()
    {
        // LiteLLM's proxy example (type, host, port as a string, password, supported_call_types), as JSON; the
        // key prefix keeps this test's keys apart from the others on the server.
        string prefix = RedisServer.UniquePrefix();
        IConfigurationSection section = ConfiguredServices.Section($$"""
            { "LlmCache": {
                "type": "redis",
                "host": "127.0.0.1",
                "port": "{{_server.Port}}",
                "password": "{{_server.Password}}",
                "supported_call_types": ["acompletion", "completion", "embedding", "aembedding"],
                "Redis": { "KeyPrefix": "{{prefix}}", "UseEnvironment": false } } }
            """);
        using ServiceProvider provider = new ServiceCollection().AddLlmCache(section).AddRedis().Services.BuildServiceProvider();
        Assert.Null(ConfiguredServices.StartupFailure(provider));
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Default);
        var model = new CountingModel();

        var second = new CacheOutcome();
        await RuntimeCalls.CallAsync(runtime, method, "hello", model);
        await RuntimeCalls.CallAsync(runtime, method, "hello", model, new CacheControl { Outcome = second });

        Assert.Equal(1, model.Calls);
        Assert.Equal("redis", second.Tier);
        Assert.True(await _server.Connection.GetDatabase().KeyExistsAsync(RuntimeCalls.StoreKey(runtime, method, "hello").Render(prefix)));
    }

    public static TheoryData<string, string[]> Mistakes => new()
    {
        { """{ "type": "redis", "host": "127.0.0.1", "port": "abc" }""", ["LlmCache:Redis:Port (port)", "'abc'", "from 1 to 65535"] },
        { """{ "type": "redis", "host": "127.0.0.1", "port": 70000 }""", ["LlmCache:Redis:Port (port)", "'70000'"] },
        { """{ "type": "redis", "host": "127.0.0.1", "redis_flush_size": 0 }""", ["LlmCache:Redis:FlushSize (redis_flush_size)", "at least 1"] },
        { """{ "type": "redis", "host": "127.0.0.1", "default_in_redis_ttl": "a day" }""", ["LlmCache:Redis:DefaultTtl (default_in_redis_ttl)", "'a day'"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_fails_at_start_up_with_one_message_naming_the_setting(string section, string[] expected)
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(ConfiguredServices.Section($$"""{ "LlmCache": {{section}} }"""))
            .AddRedis(o => o.UseEnvironment = false)
            .Services.BuildServiceProvider();

        ConfiguredServices.AssertOneMessageSaying(ConfiguredServices.StartupFailure(provider), expected);
    }

    [Fact]
    public void A_reload_keeps_the_store_unless_its_section_changes()
    {
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlmCache:type"] = "redis",
            ["LlmCache:host"] = "127.0.0.1",
            ["LlmCache:port"] = _server.Port.ToString(CultureInfo.InvariantCulture),
            ["LlmCache:password"] = _server.Password,
            ["LlmCache:namespace"] = "a",
        }).Build();
        using ServiceProvider provider = new ServiceCollection().AddLlmCache(root.GetSection("LlmCache")).AddRedis(o => o.UseEnvironment = false).Services.BuildServiceProvider();
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        ICacheStore first = runtime.GetOptions().Stores[CacheType.Redis].Store;

        root["LlmCache:namespace"] = "b";
        root.Reload();
        ICacheStore afterNamespace = runtime.GetOptions().Stores[CacheType.Redis].Store;
        root["LlmCache:default_in_redis_ttl"] = "30";
        root.Reload();
        StoreRegistration afterTtl = runtime.GetOptions().Stores[CacheType.Redis];

        Assert.Equal("b", runtime.GetOptions().Namespace);
        Assert.Same(first, afterNamespace);
        Assert.NotSame(first, afterTtl.Store);
        Assert.Equal(TimeSpan.FromSeconds(30), afterTtl.DefaultTtl);
    }

    [Fact]
    public void A_configuration_that_names_another_type_leaves_the_redis_store_out()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(ConfiguredServices.Section("""{ "LlmCache": { "type": "local" } }"""))
            .AddRedis()
            .Services.BuildServiceProvider();

        Assert.Null(ConfiguredServices.StartupFailure(provider));
        Assert.False(provider.GetRequiredService<LlmCacheRuntime>().GetOptions().Stores.ContainsKey(CacheType.Redis));
    }
}
