using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.SharedTests;

/// <summary>
/// Cached methods that return Microsoft.Extensions.AI results, with no JSON context of their own: the store is the
/// runtime's default type, so one service runs against memory, disk, Redis and S3.
/// </summary>
public sealed partial class MeaiResultService(LlmCacheRuntime cache)
{
    private int _calls;

    /// <summary>How many times an implementation ran.</summary>
    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<ChatResponse> ChatAsync(string prompt, CacheControl control = default);

    [LlmCached(ShareResult = true)]
    public partial ValueTask<ChatResponse> ChatSharedAsync(string prompt, CacheControl control = default);

    [LlmCached]
    public partial ValueTask<Embedding<float>> EmbedAsync(string text, CacheControl control = default);

    // Keyed by a name, not by a list of inputs: a list of strings would be cached per input, not as one result.
    [LlmCached]
    public partial ValueTask<GeneratedEmbeddings<Embedding<float>>> EmbedBatchAsync(string batch, CacheControl control = default);

    [LlmCached]
    public partial ValueTask<SpeechToTextResponse> TranscribeAsync(byte[] audio, CacheControl control = default);

    private ValueTask<SpeechToTextResponse> TranscribeAsyncCore(byte[] audio) => Answer(MeaiSamples.Transcription());

    private ValueTask<ChatResponse> ChatAsyncCore(string prompt) => Answer(MeaiSamples.ChatResponse());

    private ValueTask<ChatResponse> ChatSharedAsyncCore(string prompt) => Answer(MeaiSamples.ChatResponse());

    private ValueTask<Embedding<float>> EmbedAsyncCore(string text) => Answer(MeaiSamples.Embedding());

    private ValueTask<GeneratedEmbeddings<Embedding<float>>> EmbedBatchAsyncCore(string batch) => Answer(MeaiSamples.Embeddings());

    private ValueTask<T> Answer<T>(T value)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<T>(value);
    }
}
