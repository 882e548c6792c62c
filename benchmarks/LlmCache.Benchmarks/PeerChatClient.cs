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

/// <summary>The model behind every cache; a hit never reaches it, which <see cref="Calls"/> lets a set-up check.</summary>
public sealed class FixedAnswerClient : IChatClient
{
    private int _calls;

    /// <summary>How many calls reached the model.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags.")));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
