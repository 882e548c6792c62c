using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Embeddings.Tests.Semantic;

/// <summary>The <c>UseLlmCache</c> middleware with a semantic type: the last user message is embedded, the rest of the request is the scope.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class SemanticMiddlewareTests(MiniLmFixture model)
{
    [Theory]
    [InlineData(CacheType.Semantic, CacheType.Memory)]
    [InlineData(CacheType.Default, CacheType.Semantic)]
    public async Task A_paraphrase_is_a_hit_through_the_middleware(CacheType clientType, CacheType defaultType)
    {
        using LlmCacheRuntime runtime = Runtime(defaultType);
        var inner = new CountingClient();
        using IChatClient client = new ChatClientBuilder(inner).UseLlmCache(runtime, o => o.Type = clientType).Build();
        var outcome = new CacheOutcome();

        ChatResponse first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Tell me a joke.")], Options());
        ChatResponse second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Please tell me a joke")], Options(), new CacheControl { Outcome = outcome });

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, inner.Calls);
        Assert.NotNull(outcome.Similarity);
    }

    [Fact]
    public async Task Other_options_or_a_near_miss_are_misses_and_the_client_threshold_applies()
    {
        using LlmCacheRuntime runtime = Runtime(CacheType.Memory);
        var inner = new CountingClient();
        using IChatClient client = new ChatClientBuilder(inner).UseLlmCache(runtime, o => o.Type = CacheType.Semantic).Build();
        var inner2 = new CountingClient();
        using IChatClient strict = new ChatClientBuilder(inner2).UseLlmCache(runtime, o =>
        {
            o.Type = CacheType.Semantic;
            o.SimilarityThreshold = 0.99;
            o.KeyVersion = 1;
        }).Build();

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Tell me a joke.")], Options());
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Please tell me a joke")], new ChatOptions { ModelId = "other-model" });
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What is 17 times 23?")], Options());
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What is 17 times 24?")], Options());
        await strict.GetResponseAsync([new ChatMessage(ChatRole.User, "Tell me a joke.")], Options());
        await strict.GetResponseAsync([new ChatMessage(ChatRole.User, "Please tell me a joke")], Options());

        Assert.Equal(4, inner.Calls);
        Assert.Equal(2, inner2.Calls);
    }

    private static ChatOptions Options() => new() { ModelId = "gpt-4o", Temperature = 0.2f };

    private LlmCacheRuntime Runtime(CacheType defaultType)
    {
        var options = new LlmCacheOptions { DefaultType = defaultType };
        options.Semantic.EmbeddingGenerator = model.Generator;
        return new LlmCacheRuntime(options);
    }

    private sealed class CountingClient : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer #{Interlocked.Increment(ref _calls)}")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
