using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary><c>/health</c> and <c>/cache/ping</c>.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_Answers200()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage response = await proxy.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CachePing_WithTheInMemoryCache_Answers200WithItsType()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage response = await proxy.Client.GetAsync("cache/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("local", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cache_type"]);
    }

    [Fact]
    public async Task CachePing_WithoutACache_Answers503WithAShortMessage()
    {
        const string Config = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
            """;
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config);

        using HttpResponseMessage response = await proxy.Client.GetAsync("cache/ping");
        using HttpResponseMessage chat = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Cache not initialized.", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
        Assert.Equal("bypass", chat.CacheStatus());
    }
}
