using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary><c>stream: true</c>: server-sent events passed on live on a miss, replayed event by event on a hit.</summary>
public sealed class StreamingTests
{
    private static readonly string StreamedChat = ChatCompletionsTests.ReferenceChat.Replace("\"temperature\"", "\"stream\": true, \"temperature\"");

    /// <summary>Posts and reads every <c>data:</c> payload of the answer, in order.</summary>
    public static async Task<(HttpResponseMessage Response, List<string> Events)> PostStreamAsync(TestProxy proxy, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        HttpResponseMessage response = await proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", System.StringComparison.Ordinal))
            {
                events.Add(line["data: ".Length..]);
            }
            else
            {
                Assert.Equal(string.Empty, line);
            }
        }

        return (response, events);
    }

    [Fact]
    public async Task AStreamSentTwice_ReachesTheUpstreamOnce_AndTheHitReplaysEveryEvent()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        (HttpResponseMessage first, List<string> missEvents) = await PostStreamAsync(proxy, StreamedChat);
        (HttpResponseMessage second, List<string> hitEvents) = await PostStreamAsync(proxy, StreamedChat);

        Assert.Equal(1, upstream.ChatCalls);
        Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("miss", first.CacheStatus());
        Assert.Equal("hit", second.CacheStatus());
        Assert.Matches("^[0-9a-f]{64}$", second.CacheKey());
        Assert.Equal("[DONE]", missEvents[^1]);
        Assert.True(missEvents.Count > 3, string.Join("\n", missEvents));
        Assert.Equal(missEvents, hitEvents);
        string text = string.Concat(missEvents.SkipLast(1).Select(e => (string?)JsonNode.Parse(e)!["choices"]![0]!["delta"]!["content"]));
        Assert.Equal("answer 1 to: write a poem about litellm!", text);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task AStreamAndAWholeAnswer_AreTwoEntries()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage whole = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        (HttpResponseMessage streamed, _) = await PostStreamAsync(proxy, StreamedChat);
        using HttpResponseMessage wholeAgain = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat.Replace("\"temperature\"", "\"stream\": false, \"temperature\""));

        Assert.Equal("miss", streamed.CacheStatus());
        Assert.Equal("hit", wholeAgain.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
        streamed.Dispose();
    }

    [Fact]
    public async Task AnUpstreamErrorBeforeTheFirstEvent_IsPassedThrough_AndNothingIsStored()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        upstream.FailNext(503, """{"error":{"message":"overloaded","type":"server_error","param":null,"code":null}}""");

        using HttpResponseMessage failed = await proxy.PostAsync("v1/chat/completions", StreamedChat);
        (HttpResponseMessage retry, List<string> events) = await PostStreamAsync(proxy, StreamedChat);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Contains("overloaded", await failed.Content.ReadAsStringAsync());
        Assert.Equal("miss", retry.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
        Assert.Equal("[DONE]", events[^1]);
        retry.Dispose();
    }

    [Fact]
    public async Task AStreamWithNoStore_IsPassedOn_AndNotKept()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        (HttpResponseMessage first, List<string> events) = await PostStreamAsync(proxy, StreamedChat.Replace("\"stream\"", "\"cache\": {\"no-cache\": true, \"no-store\": true}, \"stream\""));
        (HttpResponseMessage second, _) = await PostStreamAsync(proxy, StreamedChat);

        Assert.Equal("bypass", first.CacheStatus());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("miss", second.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
        Assert.False(upstream.Requests.First().ContainsKey("cache"));
        first.Dispose();
        second.Dispose();
    }
}
