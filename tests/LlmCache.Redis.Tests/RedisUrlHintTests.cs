using System;
using System.Collections.Generic;
using LlmCache.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>A Redis URL written as <c>host:port</c>, without its scheme, gets the right form in its error (no server needed).</summary>
public sealed class RedisUrlHintTests
{
    [Theory]
    [InlineData("localhost:6379", "redis://localhost:6379")]
    [InlineData("127.0.0.1:6380", "redis://127.0.0.1:6380")]
    [InlineData("cache.internal:7000", "redis://cache.internal:7000")]
    public void A_REDIS_URL_without_a_scheme_is_answered_with_the_form_to_write(string given, string hint)
    {
        var env = new Dictionary<string, string> { ["REDIS_URL"] = given };

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            new RedisCacheStoreOptions().ToConfigurationOptions(name => env.GetValueOrDefault(name)));

        Assert.Contains("REDIS_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains($"write {hint}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_RedisUrl_setting_gets_the_same_hint()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            new RedisCacheStoreOptions { RedisUrl = "localhost:6379" }.ToConfigurationOptions(static _ => null));

        Assert.Contains("RedisUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("write redis://localhost:6379", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_user_information_is_not_repeated()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            new RedisCacheStoreOptions { RedisUrl = "bob:secret@localhost:6379" }.ToConfigurationOptions(static _ => null));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
