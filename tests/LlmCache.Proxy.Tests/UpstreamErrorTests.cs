using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary>What the proxy does with failures: the upstream's, and the client's own mistakes.</summary>
public sealed class UpstreamErrorTests
{
    private const string UpstreamFailure = """{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""";

    [Fact]
    public async Task AnUpstream500_IsPassedThrough_NotCached_AndARetryReachesTheUpstream()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        upstream.FailNext(500, UpstreamFailure);

        using HttpResponseMessage failed = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(UpstreamFailure, await failed.Content.ReadAsStringAsync());

        using HttpResponseMessage retry = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("miss", retry.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);

        using HttpResponseMessage hit = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        Assert.Equal("hit", hit.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
    }

    [Fact]
    public async Task An429FromTheUpstream_KeepsItsStatus_ForEmbeddingsToo()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        upstream.FailNext(429, """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");

        using HttpResponseMessage failed = await proxy.PostAsync("v1/embeddings", EmbeddingsTests.ReferenceEmbeddings);
        using HttpResponseMessage retry = await proxy.PostAsync("v1/embeddings", EmbeddingsTests.ReferenceEmbeddings);

        Assert.Equal((HttpStatusCode)429, failed.StatusCode);
        Assert.Contains("rate_limit_exceeded", await failed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, upstream.EmbeddingCalls);
    }

    [Fact]
    public async Task AnUpstreamThatTimesOut_Gets504_NotCached_AndARetryReachesTheUpstream()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, null, null, "--upstream-timeout", "1");
        upstream.Delay = TimeSpan.FromSeconds(30);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage timedOut = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        TimeSpan waited = clock.Elapsed;
        upstream.Delay = TimeSpan.Zero;
        using HttpResponseMessage retry = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("upstream_timeout", (string?)JsonNode.Parse(await timedOut.Content.ReadAsStringAsync())!["error"]!["code"]);
        Assert.True(waited < TimeSpan.FromSeconds(20), $"The 1 s upstream timeout answered after {waited}.");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("miss", retry.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
    }

    [Fact]
    public async Task ConcurrentIdenticalRequests_ShareOneUpstreamCall()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        upstream.Delay = TimeSpan.FromMilliseconds(500);

        HttpResponseMessage[] answers = await Task.WhenAll(System.Linq.Enumerable.Range(0, 6).Select(_ => proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat)));

        Assert.Equal(1, upstream.ChatCalls);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(System.Linq.Enumerable.Distinct(await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()))));
        foreach (HttpResponseMessage answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task AnUpstreamThatCannotBeReached_Gets502()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        using LlmCache.Testing.Servers.RefusingPort refusing = LlmCache.Testing.Servers.FreePorts.Refusing();
        var closed = new System.Collections.Generic.Dictionary<string, string> { ["OPENAI_BASE_URL"] = $"http://127.0.0.1:{refusing.Port}/v1" };
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, environment: closed);

        using HttpResponseMessage response = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unreachable", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Theory]
    [InlineData("v1/chat/completions", "{\"model\": \"gpt-3.5-turbo\", ")]
    [InlineData("v1/chat/completions", "not json")]
    [InlineData("v1/embeddings", "{\"model\": ")]
    [InlineData("v1/chat/completions", "[1, 2]")]
    public async Task MalformedJson_Gets400_WithAnOpenAiStyleError(string path, string body)
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage response = await proxy.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonNode error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.Equal(0, upstream.ChatCalls + upstream.EmbeddingCalls);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Gets413()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, null, null, "--max-request-bytes", "1000");
        string large = ChatCompletionsTests.ReferenceChat.Replace("write a poem", new string('x', 2000));

        using HttpResponseMessage response = await proxy.PostAsync("v1/chat/completions", large);
        using HttpResponseMessage small = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(1, upstream.ChatCalls);
    }

    [Fact]
    public async Task ARequestWithoutAModel_Gets400()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage response = await proxy.PostAsync("v1/chat/completions", """{"messages": []}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, upstream.ChatCalls);
    }
}
