using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using LlmCache.Tests;

namespace LlmCache.Benchmarks;

/// <summary>
/// What a miss adds to a call, per call, with the ~4.4 KB chat request (Microsoft.Extensions.AI messages and options
/// with two tools): a generated <c>[LlmCached]</c> method over a remote-tier store that never has the answer
/// (<see cref="MissingStore"/>), against calling the same instant implementation directly (the baseline). The
/// difference is LlmCache's miss overhead: key, both digests, the memory and remote lookups, the single flight,
/// serialising the answer and handing it to the store. A second case misses the memory tier: each call of every
/// case sets a new <c>ChatOptions.Seed</c>, so each of its requests is new, and the store, full after 10,000 calls,
/// evicts one entry for each it adds, as a busy cache does. A third case misses the remote-tier store with
/// <see cref="LlmCacheOptions.WriteBehind"/>: the answer is serialised and handed to the store on a pool thread, so
/// on this 2-core machine what it saves the caller is partly paid by the other core.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("MissOverhead")]
public class MissOverheadBenchmarks
{
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private CachedMissingChat _chat = null!;
    private CachedMissingChat _writeBehind = null!;
    private long _seed;

    [GlobalSetup]
    public void Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();
        _chat = new CachedMissingChat(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new MissingStore())));
        _writeBehind = new CachedMissingChat(new LlmCacheRuntime(new LlmCacheOptions { WriteBehind = true }.UseStore(CacheType.Custom, new MissingStore())));
    }

    [Benchmark(Baseline = true, Description = "The implementation, called directly")]
    public ValueTask<ChatResponse> Direct()
    {
        _options.Seed = ++_seed;
        return _chat.ChatUncachedAsync(_messages, _options);
    }

    [Benchmark(Description = "LlmCache: generated method, a miss of a remote-tier store")]
    public ValueTask<ChatResponse> GeneratedMiss()
    {
        _options.Seed = ++_seed;
        return _chat.ChatAsync(_messages, _options);
    }

    [Benchmark(Description = "LlmCache: generated method, a miss of a remote-tier store, write-behind")]
    public ValueTask<ChatResponse> GeneratedMissWriteBehind()
    {
        _options.Seed = ++_seed;
        return _writeBehind.ChatAsync(_messages, _options);
    }

    [Benchmark(Description = "LlmCache: generated method, a miss of the memory store (a new request)")]
    public ValueTask<ChatResponse> GeneratedMemoryMiss()
    {
        _options.Seed = ++_seed;
        return _chat.ChatInMemoryAsync(_messages, _options);
    }
}
