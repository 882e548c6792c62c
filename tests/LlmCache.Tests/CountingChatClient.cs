using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>The model behind the middleware in tests: counts its calls, keeps the options it was given, answers richly.</summary>
public sealed class CountingChatClient : IChatClient
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;
    private int _streams;

    public CountingChatClient(bool gated = false)
    {
        if (!gated)
        {
            _gate.SetResult();
        }
    }

    public int Calls => Volatile.Read(ref _calls);

    public int Streams => Volatile.Read(ref _streams);

    /// <summary>The options of every call, in order.</summary>
    public ConcurrentQueue<ChatOptions?> Received { get; } = new();

    public void Open() => _gate.TrySetResult();

    /// <summary>An answer with every part a remote store must keep: text, reasoning, a tool call, usage, ids, finish reason and properties.</summary>
    public static ChatResponse Answer(int number) =>
        new(new ChatMessage(ChatRole.Assistant,
        [
            new TextReasoningContent("The user asked about Paris.") { ProtectedData = "opaque-reasoning" },
            new TextContent($"answer #{number}"),
            new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
        ])
        {
            AuthorName = "model",
            MessageId = $"msg_{number}",
        })
        {
            ResponseId = $"resp_{number}",
            ModelId = "gpt-4o-2026",
            FinishReason = ChatFinishReason.ToolCalls,
            CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150, CachedInputTokenCount = 100, ReasoningTokenCount = 7 },
            AdditionalProperties = new AdditionalPropertiesDictionary { ["system_fingerprint"] = "fp_1", ["priority"] = 3 },
        };

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int number = Interlocked.Increment(ref _calls);
        Received.Enqueue(options);
        await _gate.Task.WaitAsync(cancellationToken);
        return Answer(number);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Received.Enqueue(options);
        int number = Interlocked.Increment(ref _streams);
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, $"stream #{number}");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
