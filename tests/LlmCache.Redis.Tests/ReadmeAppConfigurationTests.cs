using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using LlmCache.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.Redis.Tests;

/// <summary>
/// The README's "Use it in your app" <c>appsettings.json</c>, registered as its <c>Program.cs</c> block does, gets a
/// working Redis store. Only where the server is differs: the test's server, given as later configuration, as an
/// environment's settings would override appsettings.json.
/// </summary>
public sealed class ReadmeAppConfigurationTests : IClassFixture<PasswordRedisServer>
{
    private readonly PasswordRedisServer _server;

    public ReadmeAppConfigurationTests(PasswordRedisServer server) => _server = server;

    [Fact]
    public async Task The_readme_appsettings_give_a_working_Redis_store_with_its_namespace_and_ttl()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));
        Match section = Regex.Match(readme, "\n## Use it in your app\n(?<body>.*?)\n## ", RegexOptions.Singleline);
        Assert.True(section.Success, "README.md has no section '## Use it in your app'");
        Match json = Regex.Match(section.Groups["body"].Value, "```json\n(?<json>.*?)```", RegexOptions.Singleline);
        Assert.True(json.Success, "the section has no appsettings.json block");

        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json.Groups["json"].Value)))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LlmCache:host"] = "127.0.0.1",
                ["LlmCache:port"] = _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["LlmCache:password"] = _server.Password,
                ["LlmCache:Redis:KeyPrefix"] = RedisServer.UniquePrefix(),
                ["LlmCache:Redis:UseEnvironment"] = "false",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLlmCache(configuration.GetSection("LlmCache")).AddRedis(redis => redis.ConnectAtStartup = true);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Null(ConfiguredServices.StartupFailure(provider));
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        LlmCacheOptions options = runtime.GetOptions();
        Assert.Equal(CacheType.Redis, options.DefaultType);
        Assert.Equal("support-bot", options.Namespace);
        Assert.Equal(TimeSpan.FromHours(1), options.DefaultTtl);

        var model = new CountingModel();
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Default);
        await RuntimeCalls.CallAsync(runtime, method, "q", model);
        var outcome = new CacheOutcome();
        await RuntimeCalls.CallAsync(runtime, method, "q", model, new CacheControl { Outcome = outcome });

        Assert.Equal(1, model.Calls);
        Assert.Equal("redis", outcome.Tier);
        Assert.Equal("support-bot", outcome.Namespace);
        Assert.Equal(new CacheCounts(Hits: 1, Misses: 1, Errors: 0), runtime.GetStatistics().Tiers["redis"]);

        // Clearing, as the README's last block does.
        Assert.True(await runtime.RemoveAsync(outcome.RemoteKey!));
        await runtime.ClearNamespaceAsync("support-bot");
        await RuntimeCalls.CallAsync(runtime, method, "q", model);
        Assert.Equal(2, model.Calls);
    }
}
