using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>A cached chat call as a Microsoft.Extensions.AI app makes it: messages and options are the key.</summary>
public sealed partial class MeaiChatService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<string> ChatAsync(IList<ChatMessage> messages, ChatOptions? options, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached]
    public partial string Single(ChatMessage message, IReadOnlyList<ChatMessage>? history, AIContent? extra);

    private ValueTask<string> ChatAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        new($"answer #{Interlocked.Increment(ref _calls)} to {messages.Count} messages");

    private string SingleCore(ChatMessage message, IReadOnlyList<ChatMessage>? history, AIContent? extra) =>
        $"single #{Interlocked.Increment(ref _calls)}";
}
