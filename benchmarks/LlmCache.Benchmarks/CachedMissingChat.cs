using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>Generated cached methods over the messages and options that miss (a store that never has the answer; the memory store), and the same implementation uncached.</summary>
public sealed partial class CachedMissingChat(LlmCacheRuntime cache)
{
    private static readonly ChatResponse Answer = new(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags."));

    [LlmCached(Type = CacheType.Custom)]
    public partial ValueTask<ChatResponse> ChatAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

    [LlmCached]
    public partial ValueTask<ChatResponse> ChatInMemoryAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

    /// <summary>The implementation called directly, without the cache.</summary>
    public ValueTask<ChatResponse> ChatUncachedAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default) =>
        ChatAsyncCore(messages, options, cancellationToken);

    // Instant: the cost measured is the cache's, not a model's.
    private ValueTask<ChatResponse> ChatAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) => new(Answer);

    private ValueTask<ChatResponse> ChatInMemoryAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) => new(Answer);
}
