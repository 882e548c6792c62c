using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>
/// What a miss adds to a call, per call, with the ~4.4 KB chat request (Microsoft.Extensions.AI messages and options
/// with two tools): a generated <c>[LlmCached]</c> method over a remote-tier store that never has the answer
/// (<see cref="MissingStore"/>), against calling the same instant implementation directly (the baseline). The
/// difference is LlmCache's miss overhead: key, both digests, the memory and remote lookups, the single flight,
/// serialising the answer and handing it to the store.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("MissOverhead")]
public class MissOverheadBenchmarks
{
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private CachedMissingChat _chat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();
        _chat = new CachedMissingChat(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new MissingStore())));
    }

    [Benchmark(Baseline = true, Description = "The implementation, called directly")]
    public ValueTask<ChatResponse> Direct() => _chat.ChatUncachedAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: generated method, a miss")]
    public ValueTask<ChatResponse> GeneratedMiss() => _chat.ChatAsync(_messages, _options);
}
