using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmCache;
using Microsoft.Extensions.AI;

namespace QuickStart;

/// <summary>
/// An LLM-calling service, as a Microsoft.Extensions.AI app writes one: the request is the messages and the options
/// (with a tool). LlmCache writes the bodies of <see cref="AskAsync"/>, <see cref="StreamAsync"/> and <see cref="AskSimilarAsync"/>; the methods
/// named <c>...Core</c> are the real calls.
/// </summary>
public sealed partial class Assistant(IChatClient chat, LlmCacheRuntime cache)
{
    [LlmCached(Ttl = 3600)]
    public partial ValueTask<ChatResponse> AskAsync(IList<ChatMessage> messages, ChatOptions options, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached(Ttl = 3600)]
    public partial IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IList<ChatMessage> messages, ChatOptions options, CacheControl control = default, CancellationToken cancellationToken = default);

    /// <summary>Also answers a question that means the same as a cached one: the last user message is embedded.</summary>
    [LlmCached(Type = CacheType.Semantic, Ttl = 3600)]
    public partial ValueTask<ChatResponse> AskSimilarAsync(IList<ChatMessage> messages, ChatOptions options, CacheControl control = default, CancellationToken cancellationToken = default);

    private async ValueTask<ChatResponse> AskSimilarAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) =>
        await chat.GetResponseAsync(messages, options, cancellationToken);

    private async ValueTask<ChatResponse> AskAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) =>
        await chat.GetResponseAsync(messages, options, cancellationToken);

    private IAsyncEnumerable<ChatResponseUpdate> StreamAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) =>
        chat.GetStreamingResponseAsync(messages, options, cancellationToken);
}
