using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace LlmCache.Benchmarks;

/// <summary>The peer: Microsoft.Extensions.AI's caching client, with its protected key method made callable.</summary>
public sealed class PeerCachingClient(IChatClient inner, IDistributedCache storage) : DistributedCachingChatClient(inner, storage)
{
    public string Key(IEnumerable<ChatMessage> messages, ChatOptions options) => GetCacheKey(messages, options);
}

/// <summary>The model behind both caches; a hit never reaches it.</summary>
public sealed class FixedAnswerClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags.")));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
