using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using LlmCache.Testing;
using LlmCache.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmCache.Redis.Tests;

/// <summary>
/// What the log says about the connection: one Information line when the store connects, at start-up with
/// <see cref="RedisCacheStoreOptions.ConnectAtStartup"/>; and an unreachable server as Information lines without a
/// stack trace, the calls answered by the model.
/// </summary>
public sealed class RedisConnectionLogTests : IClassFixture<RedisServer>
{
    private const int ConnectedEvent = 105;
    private const int UnreachableEvent = 104;
    private readonly RedisServer _server;

    public RedisConnectionLogTests(RedisServer server) => _server = server;

    [Fact]
    public async Task With_ConnectAtStartup_the_store_connects_when_the_host_starts_and_says_so_once()
    {
        var logs = new ListLoggerProvider();
        await using ServiceProvider provider = Services(logs, connectAtStartup: true, _server.Port);

        Assert.Null(ConfiguredServices.StartupFailure(provider));

        LogRecord connected = Assert.Single(logs.Records, r => r.EventId.Id == ConnectedEvent);
        Assert.Equal(LogLevel.Information, connected.Level);
        Assert.Equal("LlmCache.Redis", connected.Category);
        Assert.Contains($"127.0.0.1:{_server.Port}", connected.Message, StringComparison.Ordinal);

        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        var model = new CountingModel();
        await RuntimeCalls.CallAsync(runtime, RuntimeCalls.Method(CacheType.Redis), "q", model);
        await RuntimeCalls.CallAsync(runtime, RuntimeCalls.Method(CacheType.Redis), "q", model);
        Assert.Equal(1, model.Calls);
        Assert.Single(logs.Records, r => r.EventId.Id == ConnectedEvent);
    }

    [Fact]
    public async Task Without_ConnectAtStartup_the_store_connects_on_the_first_call()
    {
        var logs = new ListLoggerProvider();
        await using ServiceProvider provider = Services(logs, connectAtStartup: false, _server.Port);

        Assert.Null(ConfiguredServices.StartupFailure(provider));
        Assert.DoesNotContain(logs.Records, r => r.EventId.Id == ConnectedEvent);

        await RuntimeCalls.CallAsync(provider.GetRequiredService<LlmCacheRuntime>(), RuntimeCalls.Method(CacheType.Redis), "q", new CountingModel());
        Assert.Single(logs.Records, r => r.EventId.Id == ConnectedEvent);
    }

    [Fact]
    public async Task An_unreachable_server_is_logged_at_Information_without_a_stack_trace_and_the_start_goes_on()
    {
        var logs = new ListLoggerProvider();
        using RefusingPort refusing = FreePorts.Refusing();
        int closedPort = refusing.Port;
        await using ServiceProvider provider = Services(logs, connectAtStartup: true, closedPort);

        var clock = Stopwatch.StartNew();
        Assert.Null(ConfiguredServices.StartupFailure(provider));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, new RedisCacheStoreOptions().ConnectTimeout + TimeSpan.FromSeconds(10));

        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        var model = new CountingModel();
        for (int i = 0; i < 3 * new ResilienceOptions().FailuresBeforeBreak; i++)
        {
            Assert.Equal(CountingModel.AnswerFor($"q{i}"), await RuntimeCalls.CallAsync(runtime, RuntimeCalls.Method(CacheType.Redis), $"q{i}", model));
        }

        LogRecord unreachable = Assert.Single(logs.Records, r => r.EventId.Id == UnreachableEvent);
        Assert.Equal(LogLevel.Information, unreachable.Level);
        Assert.Null(unreachable.Exception);
        Assert.Contains($"127.0.0.1:{closedPort}", unreachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Records, r => r.EventId.Id == ConnectedEvent);

        // Every line at Information or above is one line: no exception, so no stack trace, and nothing at Warning or Error.
        LogRecord[] visible = logs.Records.Where(r => r.Level >= LogLevel.Information).ToArray();
        Assert.All(visible, r => Assert.Null(r.Exception));
        Assert.All(visible, r => Assert.Equal(LogLevel.Information, r.Level));
    }

    private ServiceProvider Services(ListLoggerProvider logs, bool connectAtStartup, int port)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddLlmCache(o => o.DefaultType = CacheType.Redis).AddRedis(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = port;
            o.Password = _server.Password;
            o.UseEnvironment = false;
            o.KeyPrefix = RedisServer.UniquePrefix();
            o.ConnectAtStartup = connectAtStartup;
        });
        return services.BuildServiceProvider();
    }
}
