using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace QuickStart;

/// <summary>
/// Stands in for a model when no OPENAI_API_KEY is set: it answers after a model-like delay (600–900 ms), and its
/// answers are made up. It never touches the network.
/// </summary>
public sealed class SimulatedChatClient : IChatClient
{
    private int _calls;

    /// <summary>How many times the "model" was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        string question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        int latency = 600 + (Math.Abs(StringComparer.Ordinal.GetHashCode(question) + call) % 300);
        await Task.Delay(latency, cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"(simulated answer #{call} from {options?.ModelId ?? "model"} to \"{question}\")"));
    }

    /// <summary>The same answer, a word at a time, as a model streams it.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        string[] words = response.Text.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            await Task.Delay(40, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
