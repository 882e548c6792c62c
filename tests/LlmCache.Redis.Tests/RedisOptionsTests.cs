using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>Connection settings: REDIS_URL, REDIS_HOST / REDIS_PORT / REDIS_PASSWORD, precedence and errors (no server needed).</summary>
public sealed class RedisOptionsTests
{
    private static ConfigurationOptions Resolve(RedisCacheStoreOptions options, params (string Name, string Value)[] environment)
    {
        Dictionary<string, string> env = environment.ToDictionary(e => e.Name, e => e.Value);
        return options.ToConfigurationOptions(name => env.TryGetValue(name, out string? value) ? value : null);
    }

    private static (string Host, int Port) Single(ConfigurationOptions configuration)
    {
        EndPoint endPoint = Assert.Single(configuration.EndPoints);
        return endPoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new InvalidOperationException(endPoint.GetType().Name),
        };
    }

    [Fact]
    public void RedisUrl_GivesUserPasswordHostPortAndDatabase()
    {
        ConfigurationOptions c = Resolve(new RedisCacheStoreOptions { RedisUrl = "redis://alice:p%40ss%3Aword@cache.example:16379/3" });

        Assert.Equal(("cache.example", 16379), Single(c));
        Assert.Equal("alice", c.User);
        Assert.Equal("p@ss:word", c.Password);
        Assert.Equal(3, c.DefaultDatabase);
        Assert.False(c.Ssl);
    }

    [Fact]
    public void Rediss_TurnsOnTls_AndAPasswordWithoutUserIsTheDefaultUsers()
    {
        ConfigurationOptions c = Resolve(new RedisCacheStoreOptions { RedisUrl = "rediss://:secret@tls.example" });

        Assert.Equal(("tls.example", RedisCacheStoreOptions.DefaultPort), Single(c));
        Assert.True(c.Ssl);
        Assert.Null(c.User);
        Assert.Equal("secret", c.Password);
    }

    [Fact]
    public void Environment_RedisUrl_IsUsedWhenNothingIsSet()
    {
        ConfigurationOptions c = Resolve(new RedisCacheStoreOptions(), ("REDIS_URL", "redis://bob:pw@env-host:7000"), ("REDIS_HOST", "ignored"));

        Assert.Equal(("env-host", 7000), Single(c));
        Assert.Equal("bob", c.User);
        Assert.Equal("pw", c.Password);
    }

    [Fact]
    public void Environment_HostPortPassword_AreUsedWithoutAUrl()
    {
        ConfigurationOptions c = Resolve(
            new RedisCacheStoreOptions(),
            ("REDIS_HOST", "h.example"), ("REDIS_PORT", "18841"), ("REDIS_PASSWORD", "liteLlm"), ("REDIS_USERNAME", "u"), ("REDIS_SSL", "true"));

        Assert.Equal(("h.example", 18841), Single(c));
        Assert.Equal("liteLlm", c.Password);
        Assert.Equal("u", c.User);
        Assert.True(c.Ssl);
    }

    [Fact]
    public void ExplicitSettings_WinOverTheUrl_AndTheEnvironmentFillsTheRest()
    {
        ConfigurationOptions c = Resolve(
            new RedisCacheStoreOptions { RedisUrl = "redis://url-host:1111", Port = 2222 },
            ("REDIS_PASSWORD", "from-env"), ("REDIS_URL", "redis://ignored:9"));

        Assert.Equal(("url-host", 2222), Single(c));
        Assert.Equal("from-env", c.Password);
    }

    [Fact]
    public void UseEnvironmentFalse_IgnoresTheEnvironment()
    {
        var options = new RedisCacheStoreOptions { UseEnvironment = false };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Resolve(options, ("REDIS_HOST", "h")));
        Assert.Contains("REDIS_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_String_CanNameSeveralEndpoints()
    {
        ConfigurationOptions c = Resolve(new RedisCacheStoreOptions { Configuration = "127.0.0.1:7001,127.0.0.1:7002", Password = "pw" }, ("REDIS_HOST", "ignored"));

        Assert.Equal(2, c.EndPoints.Count);
        Assert.Equal("pw", c.Password);
    }

    [Fact]
    public void TheConnection_FailsFast()
    {
        ConfigurationOptions c = Resolve(new RedisCacheStoreOptions
        {
            Host = "h",
            ConnectTimeout = TimeSpan.FromMilliseconds(700),
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            ConfigureConnection = o => o.ClientName = "custom",
        });

        Assert.False(c.AbortOnConnectFail);
        Assert.Equal(700, c.ConnectTimeout);
        Assert.Equal(300, c.SyncTimeout);
        Assert.Equal(300, c.AsyncTimeout);
        Assert.Same(BacklogPolicy.FailFast, c.BacklogPolicy);
        Assert.Equal("custom", c.ClientName);
    }

    [Theory]
    [InlineData("http://h:1", "RedisUrl")]
    [InlineData("not a url", "RedisUrl")]
    [InlineData("redis://h:1/x", "RedisUrl")]
    public void ABadUrl_NamesTheSetting_ButNotThePassword(string url, string setting)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Resolve(new RedisCacheStoreOptions { RedisUrl = url.Replace("h:", "u:topsecret@h:", StringComparison.Ordinal) }));

        Assert.Equal(setting, error.ParamName);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadEnvironmentPort_NamesTheVariable()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Resolve(new RedisCacheStoreOptions(), ("REDIS_HOST", "h"), ("REDIS_PORT", "abc")));

        Assert.Contains("REDIS_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRangeSettings_AreRejectedAtStartWithTheirName()
    {
        Assert.Equal("FlushSize", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCacheStore(new RedisCacheStoreOptions { Host = "h", FlushSize = 0 })).ParamName);
        Assert.Equal("Port", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCacheStore(new RedisCacheStoreOptions { Host = "h", Port = 70000 })).ParamName);
        Assert.Equal("OperationTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCacheStore(new RedisCacheStoreOptions { Host = "h", OperationTimeout = TimeSpan.Zero })).ParamName);
    }

    [Fact]
    public void TheDefaultTtl_AcceptsInfiniteAndZero_AndRejectsOtherNegatives()
    {
        foreach (TimeSpan accepted in new[] { Timeout.InfiniteTimeSpan, TimeSpan.Zero })
        {
            using (new RedisCacheStore(new RedisCacheStoreOptions { Host = "h", UseEnvironment = false, DefaultTtl = accepted }))
            {
            }
        }

        foreach (TimeSpan rejected in new[] { TimeSpan.FromMilliseconds(-2), TimeSpan.MinValue })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RedisCacheStore(new RedisCacheStoreOptions { Host = "h", UseEnvironment = false, DefaultTtl = rejected }));
            Assert.Equal("DefaultTtl", error.ParamName);
        }
    }

    [Fact]
    public void UseRedis_RegistersForRedis_WithTheDefaultTtl()
    {
        var options = new LlmCacheOptions().UseRedis(o =>
        {
            o.Host = "127.0.0.1";
            o.UseEnvironment = false;
            o.DefaultTtl = TimeSpan.FromSeconds(42);
        });

        StoreRegistration registration = options.Stores[CacheType.Redis];
        Assert.IsType<RedisCacheStore>(registration.Store);
        Assert.Equal(TimeSpan.FromSeconds(42), registration.DefaultTtl);
    }

    [Fact]
    public void TheNamespacePattern_EscapesGlobCharacters()
    {
        using var store = new RedisCacheStore(new RedisCacheStoreOptions { Host = "h", UseEnvironment = false, KeyPrefix = "p[1]:" });

        string pattern = store.NamespacePattern("a*?");

        Assert.StartsWith(@"p\[1\]:a\*\?:[0-9a-f]", pattern, StringComparison.Ordinal);
    }
}
