using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Redis.Benchmarks;

/// <summary>The LlmCache side of the benchmark: a generated method caching into Redis.</summary>
internal sealed partial class RedisAssistant(LlmCacheRuntime cache, RedisHitBenchmarks.FixedAnswerChatClient answers)
{
    [LlmCached(Type = CacheType.Redis)]
    public partial ValueTask<string> AskAsync(string model, string question);

    private ValueTask<string> AskAsyncCore(string model, string question) => answers.AnswerAsync(CancellationToken.None);
}
