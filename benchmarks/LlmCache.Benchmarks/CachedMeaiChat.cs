using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>The LlmCache side with Microsoft.Extensions.AI types: a generated cached method over the messages and options.</summary>
public sealed partial class CachedMeaiChat(LlmCacheRuntime cache)
{
    private static readonly ChatResponse Answer = new(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags."));

    // The default: each hit is the caller's own copy of the response.
    [LlmCached]
    public partial ValueTask<ChatResponse> ChatAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

    // The opt-in: every hit is the cached response itself.
    [LlmCached(ShareResult = true)]
    public partial ValueTask<ChatResponse> ChatSharedAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

    private ValueTask<ChatResponse> ChatAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) => new(Answer);

    private ValueTask<ChatResponse> ChatSharedAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) => new(Answer);
}
