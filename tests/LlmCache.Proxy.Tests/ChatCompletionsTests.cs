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
    public async Task PropertyNamesWrittenWithEscapes_AndNamesBeyondAscii_KeyAsTheirText()
    {
        // Names with escapes or beyond ASCII take the key's slower path, plain names the raw-bytes one; all must sort as one order.
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        const string Plain = """{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"write a poem about litellm!"}],"temperature":0.7,"x_é":1,"x_a":2}""";
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", Plain);

        const string Escaped = """{"x_\u00e9":1,"\u006dodel":"gpt-3.5-turbo","\u0075ser":"bob","messages":[{"r\u006fle":"user","content":"write a poem about litellm!"}],"t\u0065mperature":0.7,"x_\u0061":2}""";
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", Escaped);
        using HttpResponseMessage other = await proxy.PostAsync("v1/chat/completions", Escaped.Replace("\\u00e9", "\\u00e8"));

        Assert.Equal("miss", first.CacheStatus());
        Assert.Equal("hit", second.CacheStatus());
        Assert.Equal("miss", other.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
    }

    [Fact]
    public async Task ABodyWithoutItsLength_LargerThanTheFirstBuffer_IsReadWhole()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        string content = new('x', 20_000);
        string body = ReferenceChat.Replace("write a poem about litellm!", content);

        // Content of unknown length goes out chunked: the proxy cannot size its buffer from Content-Length.
        using HttpResponseMessage first = await proxy.Client.PostAsync("v1/chat/completions", new ChunkedJson(body));
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Null(first.RequestMessage!.Content!.Headers.ContentLength);
        Assert.Equal(content, (string)upstream.Requests.Single()["messages"]![0]!["content"]!);
        Assert.Equal("hit", second.CacheStatus());
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

    /// <summary>JSON content that does not know its length, so that HttpClient sends it chunked.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string json)
        {
            _bytes = System.Text.Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(System.IO.Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
