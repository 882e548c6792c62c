using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace LlmCache.Proxy.Tests;

/// <summary>The official OpenAI .NET client pointed at the proxy: the same answers on a miss and on a hit, streamed ones included.</summary>
public sealed class OpenAiClientTests
{
    private static OpenAIClient ClientFor(TestProxy proxy, List<string> cacheStatuses) =>
        new(new ApiKeyCredential("sk-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(proxy.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(new System.Net.Http.HttpClient(new StatusRecorder(cacheStatuses))),
        });

    [Fact]
    public async Task CompleteChat_GetsEqualAnswersOnMissAndHit()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        var statuses = new List<string>();
        ChatClient chat = ClientFor(proxy, statuses).GetChatClient("gpt-3.5-turbo");
        ChatMessage[] messages = [new UserChatMessage("Say this is a test")];
        var options = new ChatCompletionOptions { Temperature = 0.7f };

        ChatCompletion miss = (await chat.CompleteChatAsync(messages, options)).Value;
        ChatCompletion hit = (await chat.CompleteChatAsync(messages, options)).Value;

        Assert.Equal(["miss", "hit"], statuses);
        Assert.Equal(1, upstream.ChatCalls);
        Assert.Equal(miss.Id, hit.Id);
        Assert.Equal(miss.Content[0].Text, hit.Content[0].Text);
        Assert.StartsWith("answer 1 to: Say this is a test", hit.Content[0].Text);
        Assert.Equal(miss.Usage.TotalTokenCount, hit.Usage.TotalTokenCount);
        Assert.Equal(miss.FinishReason, hit.FinishReason);
    }

    [Fact]
    public async Task CompleteChatStreaming_GetsEqualUpdatesOnMissAndHit()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        var statuses = new List<string>();
        ChatClient chat = ClientFor(proxy, statuses).GetChatClient("gpt-3.5-turbo");
        ChatMessage[] messages = [new UserChatMessage("Stream a test")];

        List<string> miss = await ReadAsync(chat.CompleteChatStreamingAsync(messages));
        List<string> hit = await ReadAsync(chat.CompleteChatStreamingAsync(messages));

        Assert.Equal(["miss", "hit"], statuses);
        Assert.Equal(1, upstream.ChatCalls);
        Assert.Equal(miss, hit);
        Assert.Equal("answer 1 to: Stream a test", string.Concat(hit.Select(u => u.Split('|')[1])));

        static async Task<List<string>> ReadAsync(AsyncCollectionResult<StreamingChatCompletionUpdate> updates)
        {
            var seen = new List<string>();
            await foreach (StreamingChatCompletionUpdate update in updates)
            {
                seen.Add($"{update.CompletionId}|{string.Concat(update.ContentUpdate.Select(p => p.Text))}|{update.FinishReason}");
            }

            return seen;
        }
    }

    [Fact]
    public async Task GenerateEmbeddings_GetsEqualVectorsOnMissAndHit()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        var statuses = new List<string>();
        EmbeddingClient embeddings = ClientFor(proxy, statuses).GetEmbeddingClient("text-embedding-ada-002");

        OpenAIEmbeddingCollection miss = (await embeddings.GenerateEmbeddingsAsync(["write a litellm poem", "another"])).Value;
        OpenAIEmbeddingCollection hit = (await embeddings.GenerateEmbeddingsAsync(["write a litellm poem", "another"])).Value;

        Assert.Equal(["miss", "hit"], statuses);
        Assert.Equal(1, upstream.EmbeddingCalls);
        Assert.Equal(FakeOpenAi.VectorFor("another"), hit[1].ToFloats().ToArray());
        Assert.Equal(miss[0].ToFloats().ToArray(), hit[0].ToFloats().ToArray());
        Assert.Equal(miss.Usage.InputTokenCount, hit.Usage.InputTokenCount);
    }

    /// <summary>Keeps the <c>x-llmcache</c> header of every answer the client receives.</summary>
    private sealed class StatusRecorder(List<string> statuses) : System.Net.Http.DelegatingHandler(new System.Net.Http.HttpClientHandler())
    {
        protected override async Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
        {
            System.Net.Http.HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            lock (statuses)
            {
                statuses.Add(response.CacheStatus() ?? "none");
            }

            return response;
        }
    }
}
