using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LlmCache.Redis.Tests;

/// <summary>A redis-server started with <c>requirepass</c> (a password made up for this run).</summary>
public sealed class PasswordRedisServer : RedisServer
{
    public PasswordRedisServer()
        : base(password: Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), port: null, extraArguments: [])
    {
    }
}

/// <summary>Redis with <c>requirepass</c>: the right password works; a wrong one leaves the app answering from the model.</summary>
public sealed class RedisAuthTests : IClassFixture<PasswordRedisServer>
{
    private readonly PasswordRedisServer _server;
    private readonly ITestOutputHelper _output;

    public RedisAuthTests(PasswordRedisServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task TheRightPassword_Works()
    {
        await using var store = new RedisCacheStore(_server.StoreOptions());
        CacheStoreKey key = RedisCacheStoreTests.NewKey();

        await store.SetAsync(key, RedisCacheStoreTests.NewEntry());

        Assert.NotNull(await store.GetAsync(key));
    }

    [Fact]
    public async Task TheRightPassword_InARedisUrl_WithTheDefaultUser_Works()
    {
        await using var store = new RedisCacheStore(new RedisCacheStoreOptions
        {
            RedisUrl = $"redis://default:{Uri.EscapeDataString(_server.Password!)}@127.0.0.1:{_server.Port}/0",
            UseEnvironment = false,
            KeyPrefix = RedisServer.UniquePrefix(),
        });
        CacheStoreKey key = RedisCacheStoreTests.NewKey();

        await store.SetAsync(key, RedisCacheStoreTests.NewEntry());

        Assert.NotNull(await store.GetAsync(key));
    }

    [Fact]
    public async Task AWrongPassword_TheAppStillAnswersFromTheModel_AndTheStoreLogsOneClearError()
    {
        var logs = new ListLoggerProvider();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = logs }.UseRedis(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = _server.Port;
            o.Password = "wrong-" + _server.Password;
            o.UseEnvironment = false;
        }));
        CachedMethod<string> method = RuntimeCalls.Method(CacheType.Redis);
        var model = new CountingModel();
        const int Calls = 200;

        for (int i = 0; i < Calls; i++)
        {
            string prompt = $"q{i % 10}";
            Assert.Equal(CountingModel.AnswerFor(prompt), await RuntimeCalls.CallAsync(runtime, method, prompt, model));
        }

        Assert.Equal(Calls, model.Calls);

        // The connection reports the failed authentication in the background; give it time to arrive.
        for (int i = 0; i < 100 && !logs.InCategory("LlmCache.Redis").Any(r => r.Level >= LogLevel.Error); i++)
        {
            await Task.Delay(50);
        }

        LogRecord[] storeErrors = logs.InCategory("LlmCache.Redis").Where(r => r.Level >= LogLevel.Error).ToArray();
        LogRecord error = Assert.Single(storeErrors);
        Assert.Contains("'redis'", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthenticationFailure", error.Message, StringComparison.Ordinal);

        // A refused password is its own event (101), whose message says so: the server was reached.
        Assert.Equal(101, error.EventId.Id);
        Assert.Contains("refused the password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Password!, error.Message, StringComparison.Ordinal);

        // The circuit breaker opens after a few failures in a row: the runtime's log does not grow with the number of calls.
        LogRecord[] runtimeLogs = logs.InCategory("LlmCache").Where(r => r.Level >= LogLevel.Warning).ToArray();
        _output.WriteLine($"store errors: {storeErrors.Length} ({error.Message}); runtime warnings and errors for {Calls} calls: {runtimeLogs.Length}");
        Assert.InRange(runtimeLogs.Length, 1, new ResilienceOptions().FailuresBeforeBreak + 1);
        Assert.DoesNotContain(logs.Records, r => (r.Message + r.Exception).Contains(_server.Password!, StringComparison.Ordinal));
    }
}
