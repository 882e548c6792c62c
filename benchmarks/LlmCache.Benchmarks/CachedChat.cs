using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Benchmarks;

/// <summary>The LlmCache side: a generated cached method over the request's content.</summary>
public sealed partial class CachedChat(LlmCacheRuntime cache)
{
    [LlmCached]
    public partial ValueTask<string> AskAsync(string model, string systemPrompt, IReadOnlyList<Turn> turns, IReadOnlyList<ToolSpec> tools, float temperature, int maxTokens, CancellationToken cancellationToken = default);

    private ValueTask<string> AskAsyncCore(string model, string systemPrompt, IReadOnlyList<Turn> turns, IReadOnlyList<ToolSpec> tools, float temperature, int maxTokens, CancellationToken cancellationToken) =>
        new("The Istanbul routing allows two checked bags.");
}
