using System;
using System.Diagnostics;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary>The per-request controls in the body's <c>cache</c> object, as the reference's <c>extra_body</c> examples send them.</summary>
public sealed class CacheControlTests
{
    private const string Chat = """{"model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "Say this is a test"}]}""";

    private static string WithCache(string cache) => Chat.Replace("\"messages\"", $"\"cache\": {cache}, \"messages\"");

    private static async Task<string> AnswerAsync(HttpResponseMessage response) =>
        (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["content"]!;

    [Fact]
    public async Task NoCache_CallsTheUpstream_AndStoresItsAnswer()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", Chat);

        using HttpResponseMessage fresh = await proxy.PostAsync("v1/chat/completions", WithCache("""{"no-cache": true}"""));
        using HttpResponseMessage after = await proxy.PostAsync("v1/chat/completions", Chat);

        Assert.Equal(2, upstream.ChatCalls);
        Assert.Equal("miss", fresh.CacheStatus());
        Assert.StartsWith("answer 2 ", await AnswerAsync(fresh));
        Assert.Equal("hit", after.CacheStatus());
        Assert.StartsWith("answer 2 ", await AnswerAsync(after));
    }

    [Fact]
    public async Task NoStore_KeepsNothing()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", WithCache("""{"no-store": true}"""));
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", Chat);

        Assert.Equal(2, upstream.ChatCalls);
        Assert.Equal("miss", second.CacheStatus());
    }

    [Fact]
    public async Task NoCacheWithNoStore_Bypasses()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", WithCache("""{"no-cache": true, "no-store": true}"""));

        Assert.Equal("bypass", first.CacheStatus());
        Assert.Equal(1, upstream.ChatCalls);
    }

    [Fact]
    public async Task Ttl_KeepsTheAnswerThatLong_AndZeroKeepsNothing()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage zero = await proxy.PostAsync("v1/chat/completions", WithCache("""{"ttl": 0}"""));
        using HttpResponseMessage afterZero = await proxy.PostAsync("v1/chat/completions", Chat.Replace("test", "trial"));
        Assert.Equal(2, upstream.ChatCalls);

        using HttpResponseMessage stored = await proxy.PostAsync("v1/chat/completions", WithCache("""{"ttl": 1}"""));
        using HttpResponseMessage hit = await proxy.PostAsync("v1/chat/completions", Chat);
        Assert.Equal(3, upstream.ChatCalls);
        Assert.Equal("hit", hit.CacheStatus());

        // One second later the entry has expired: wait for that, bounded, rather than for a fixed time.
        var clock = Stopwatch.StartNew();
        string? status;
        do
        {
            await Task.Delay(200);
            using HttpResponseMessage again = await proxy.PostAsync("v1/chat/completions", WithCache("""{"ttl": 1}"""));
            status = again.CacheStatus();
        }
        while (status == "hit" && clock.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal("miss", status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.5), $"The 1 s entry expired after {clock.Elapsed}.");
    }

    [Fact]
    public async Task SMaxAge_AcceptsOnlyYoungerEntries()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", Chat);

        using HttpResponseMessage young = await proxy.PostAsync("v1/chat/completions", WithCache("""{"s-maxage": 600}"""));
        Assert.Equal("hit", young.CacheStatus());

        await Task.Delay(50);
        using HttpResponseMessage tooOld = await proxy.PostAsync("v1/chat/completions", WithCache("""{"s-maxage": 0.01}"""));
        Assert.Equal("miss", tooOld.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
    }

    [Fact]
    public async Task Namespace_SeparatesEntries()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage plain = await proxy.PostAsync("v1/chat/completions", Chat);
        using HttpResponseMessage teamA = await proxy.PostAsync("v1/chat/completions", WithCache("""{"namespace": "team-a"}"""));
        using HttpResponseMessage teamAAgain = await proxy.PostAsync("v1/chat/completions", WithCache("""{"namespace": "team-a"}"""));

        Assert.Equal("miss", teamA.CacheStatus());
        Assert.Equal("hit", teamAAgain.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
    }

    [Fact]
    public async Task DefaultOffMode_CachesOnlyRequestsWithUseCache()
    {
        const string Config = """
            litellm_settings:
              cache: True
              cache_params:
                type: local
                mode: default_off
            """;
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config);
        using HttpResponseMessage plain = await proxy.PostAsync("v1/chat/completions", Chat);
        using HttpResponseMessage plainAgain = await proxy.PostAsync("v1/chat/completions", Chat);
        Assert.Equal("bypass", plainAgain.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);

        using HttpResponseMessage opted = await proxy.PostAsync("v1/chat/completions", WithCache("""{"use-cache": true}"""));
        using HttpResponseMessage optedAgain = await proxy.PostAsync("v1/chat/completions", WithCache("""{"use-cache": true}"""));
        Assert.Equal("miss", opted.CacheStatus());
        Assert.Equal("hit", optedAgain.CacheStatus());
        Assert.Equal(3, upstream.ChatCalls);
    }

    [Theory]
    [InlineData("""{"no-cache": "yes"}""")]
    [InlineData("""{"ttl": -1}""")]
    [InlineData("""{"ttl": "600"}""")]
    [InlineData("""{"no_cache": true}""")]
    [InlineData("""[true]""")]
    public async Task AControlOfTheWrongShape_Gets400_AndReachesNoUpstream(string cache)
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage response = await proxy.PostAsync("v1/chat/completions", WithCache(cache));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        JsonNode error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Contains("cache", (string?)error["message"]);
        Assert.Equal(0, upstream.ChatCalls);
    }
}
