using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LlmCache.Benchmarks;

/// <summary>
/// The foundation's ~4.4 KB chat request as Microsoft.Extensions.AI messages and options with two tools, served
/// from memory in one run: a generated [LlmCached] method and the UseLlmCache middleware, each with its default (every
/// hit the caller's own copy of the response) and with shared results, and Microsoft.Extensions.AI's
/// DistributedCachingChatClient over MemoryDistributedCache (which deserializes a new response on every hit).
/// </summary>
[MemoryDiagnoser]
public class MeaiHitPathBenchmarks
{
    private CachedMeaiChat _generated = null!;
    private IChatClient _middleware = null!;
    private IChatClient _sharingMiddleware = null!;
    private IChatClient _peer = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();

        _generated = new CachedMeaiChat(new LlmCacheRuntime());
        await _generated.ChatAsync(_messages, _options);
        await _generated.ChatSharedAsync(_messages, _options);

        _middleware = new ChatClientBuilder(new FixedAnswerClient()).UseLlmCache(new LlmCacheRuntime()).Build();
        await _middleware.GetResponseAsync(_messages, _options);
        _sharingMiddleware = new ChatClientBuilder(new FixedAnswerClient()).UseLlmCache(new LlmCacheRuntime(), o => o.ShareResult = true).Build();
        await _sharingMiddleware.GetResponseAsync(_messages, _options);

        _peer = new DistributedCachingChatClient(new FixedAnswerClient(), new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        await _peer.GetResponseAsync(_messages, _options);
    }

    [Benchmark(Baseline = true, Description = "Peer: DistributedCachingChatClient hit over MemoryDistributedCache")]
    public Task<ChatResponse> PeerHit() => _peer.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: memory hit through a generated [LlmCached] method (ChatResponse, a copy per hit)")]
    public ChatResponse GeneratedHit() => _generated.ChatAsync(_messages, _options).Result;

    [Benchmark(Description = "LlmCache: memory hit through a generated [LlmCached] method (ChatResponse, ShareResult)")]
    public ChatResponse GeneratedSharedHit() => _generated.ChatSharedAsync(_messages, _options).Result;

    [Benchmark(Description = "LlmCache: memory hit through UseLlmCache middleware (a copy per hit)")]
    public Task<ChatResponse> MiddlewareHit() => _middleware.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: memory hit through UseLlmCache middleware (ShareResult)")]
    public Task<ChatResponse> MiddlewareSharedHit() => _sharingMiddleware.GetResponseAsync(_messages, _options);
}
