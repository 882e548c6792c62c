using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary>Whole (non-streamed) chat completions through the proxy without config.yaml: the in-memory cache.</summary>
public sealed class ChatCompletionsTests
{
    /// <summary>The reference's curl request, as it sends it.</summary>
    public const string ReferenceChat = """
        {
        "model": "gpt-3.5-turbo",
        "messages": [{"role": "user", "content": "write a poem about litellm!"}],
        "temperature": 0.7
        }
        """;

    /// <summary>A request of one user message.</summary>
    public static string UserChat(string model, string prompt) =>
        new JsonObject { ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }) }.ToJsonString();

    [Fact]
    public async Task TheReferencesRequestSentTwice_ReachesTheUpstreamOnce_AndTheHitCarriesTheKey()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat);
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", ReferenceChat);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, upstream.ChatCalls);
        Assert.Equal("miss", first.CacheStatus());
        Assert.Null(first.CacheKey());
        Assert.Equal("hit", second.CacheStatus());
        Assert.Matches(new Regex("^[0-9a-f]{64}$"), second.CacheKey());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BothPaths_ShareOneEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat);
        using HttpResponseMessage second = await proxy.PostAsync("chat/completions", ReferenceChat);

        Assert.Equal("hit", second.CacheStatus());
        Assert.Equal(1, upstream.ChatCalls);
    }

    [Fact]
    public async Task TheSameRequestInAnotherPropertyOrder_OtherWhitespace_AndNumberForm_Hits()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat);

        const string Reordered = """{"temperature":0.70,"messages":[{"content":"write a poem about litellm!","role":"user"}],"model":"gpt-3.5-turbo"}""";
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", Reordered);
        const string Exponent = """{ "temperature" : 7e-1 , "model" : "gpt-3.5-turbo" , "messages" : [ { "role" : "user" , "content" : "write a poem about \u006citellm!" } ] }""";
        using HttpResponseMessage third = await proxy.PostAsync("v1/chat/completions", Exponent);

        Assert.Equal("hit", second.CacheStatus());
        Assert.Equal("hit", third.CacheStatus());
        Assert.Equal(second.CacheKey(), third.CacheKey());
        Assert.Equal(1, upstream.ChatCalls);
    }

    [Fact]
    public async Task AnotherTemperature_OrAnotherMessage_IsAnotherEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat);

        using HttpResponseMessage warmer = await proxy.PostAsync("v1/chat/completions", ReferenceChat.Replace("0.7", "0.8"));
        using HttpResponseMessage other = await proxy.PostAsync("v1/chat/completions", ReferenceChat.Replace("poem", "song"));

        Assert.Equal("miss", warmer.CacheStatus());
        Assert.Equal("miss", other.CacheStatus());
        Assert.Equal(3, upstream.ChatCalls);
    }

    [Fact]
    public async Task TheUserField_IsNotInTheKey_ButIsForwarded()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat.Replace("\"temperature\"", "\"user\": \"alice\", \"temperature\""));
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", ReferenceChat.Replace("\"temperature\"", "\"user\": \"bob\", \"temperature\""));

        Assert.Equal("hit", second.CacheStatus());
        Assert.Equal("alice", (string?)upstream.Requests.Single()["user"]);
    }

    [Fact]
    public async Task TheCacheObject_IsNeverForwarded_NorInTheKey()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat.Replace("\"temperature\"", "\"cache\": {\"ttl\": 600}, \"temperature\""));
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", ReferenceChat);

        JsonObject forwarded = upstream.Requests.Single();
        Assert.False(forwarded.ContainsKey("cache"));
        Assert.Equal(0.7, (double)forwarded["temperature"]!);
        Assert.Equal("hit", second.CacheStatus());
    }

    [Fact]
    public async Task WithoutAKeyOfItsOwn_TheProxyForwardsTheClientsBearerToken()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat, bearer: "sk-client");

        Assert.Equal("Bearer sk-client", upstream.LastAuthorization);
    }

    [Fact]
    public async Task OpenAiApiKey_IsSentUpstream_InsteadOfTheClientsToken()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, environment: new System.Collections.Generic.Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-proxy" });
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ReferenceChat, bearer: "sk-client");

        Assert.Equal("Bearer sk-proxy", upstream.LastAuthorization);
    }
}
