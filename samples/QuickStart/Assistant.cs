using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LlmCache;
using Microsoft.Extensions.AI;

namespace QuickStart;

/// <summary>An LLM-calling service. LlmCache writes <see cref="AskAsync"/>'s body; <see cref="AskAsyncCore"/> is the real call.</summary>
public sealed partial class Assistant(IChatClient chat, LlmCacheRuntime cache)
{
    private const string SystemPrompt = "You answer in one short sentence.";

    [LlmCached(Ttl = 3600)]
    public partial ValueTask<string> AskAsync(string model, string question, float temperature = 0.2f, CacheControl control = default, CancellationToken cancellationToken = default);

    private async ValueTask<string> AskAsyncCore(string model, string question, float temperature, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User, question),
        };
        ChatResponse response = await chat.GetResponseAsync(messages, new ChatOptions { ModelId = model, Temperature = temperature }, cancellationToken);
        return response.Text;
    }
}
