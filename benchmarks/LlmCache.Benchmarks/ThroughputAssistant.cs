using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>The LlmCache side of the throughput suite: a generated cached method that counts the calls that reach it.</summary>
public sealed partial class ThroughputAssistant(LlmCacheRuntime cache)
{
    private static readonly ChatResponse Answer = new(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags."));
    private int _calls;

    /// <summary>How many calls missed the cache.</summary>
    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<ChatResponse> ChatAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

    private ValueTask<ChatResponse> ChatAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return new(Answer);
    }
}
