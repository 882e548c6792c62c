using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace LlmCache.Benchmarks;

/// <summary>
/// A memory hit of the ~4.4 KB chat request (Microsoft.Extensions.AI messages and options with two tools), end to
/// end, in one run: a generated <c>[LlmCached]</c> method and the <c>UseLlmCache</c> middleware, each with a copy
/// per hit (the default) and with <c>ShareResult</c>; Microsoft.Extensions.AI's <c>DistributedCachingChatClient</c>
/// over <c>MemoryDistributedCache</c> (the baseline); HybridCache's <c>GetOrCreateAsync</c> and FusionCache's
/// <c>GetOrSetAsync</c>, each with its defaults and the key its user would build, Microsoft.Extensions.AI's own,
/// computed on every call. HybridCache deserializes a new <see cref="ChatResponse"/> on every hit (it does so for
/// every mutable type, like LlmCache's default copy); FusionCache returns the cached instance (like ShareResult).
/// Each peer's factory is made once, so a hit allocates only what the peer itself allocates.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("MemoryHit")]
public class MemoryHitBenchmarks
{
    private readonly FixedAnswerClient _model = new();
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private CachedMeaiChat _generated = null!;
    private IChatClient _middleware = null!;
    private IChatClient _sharingMiddleware = null!;
    private IChatClient _peer = null!;
    private PeerCachingClient _keys = null!;
    private HybridCache _hybrid = null!;
    private FusionCache _fusion = null!;
    private Func<FusionCacheFactoryExecutionContext<ChatResponse>, CancellationToken, Task<ChatResponse>> _fusionFactory = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();

        _generated = new CachedMeaiChat(new LlmCacheRuntime());
        _middleware = new ChatClientBuilder(_model).UseLlmCache(new LlmCacheRuntime()).Build();
        _sharingMiddleware = new ChatClientBuilder(_model).UseLlmCache(new LlmCacheRuntime(), o => o.ShareResult = true).Build();
        _peer = new DistributedCachingChatClient(_model, new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        _keys = new PeerCachingClient(_model, new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        _hybrid = PeerCaches.Hybrid();
        _fusion = PeerCaches.Fusion();

        _fusionFactory = (_, ct) => _model.GetResponseAsync(_messages, _options, ct);

        await HitCheck.ExpectHitsAsync(_model, CallAll);
    }

    private async Task<ChatResponse[]> CallAll() =>
    [
        await PeerHit(), await GeneratedHit(), await GeneratedSharedHit(), await MiddlewareHit(), await MiddlewareSharedHit(),
        await HybridCacheHit(), await FusionCacheHit(),
    ];

    [GlobalCleanup]
    public void Cleanup() => _fusion.Dispose();

    [Benchmark(Baseline = true, Description = "Peer: DistributedCachingChatClient over MemoryDistributedCache")]
    public Task<ChatResponse> PeerHit() => _peer.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: generated method (a copy per hit)")]
    public ValueTask<ChatResponse> GeneratedHit() => _generated.ChatAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: generated method (ShareResult)")]
    public ValueTask<ChatResponse> GeneratedSharedHit() => _generated.ChatSharedAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: UseLlmCache middleware (a copy per hit)")]
    public Task<ChatResponse> MiddlewareHit() => _middleware.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "LlmCache: UseLlmCache middleware (ShareResult)")]
    public Task<ChatResponse> MiddlewareSharedHit() => _sharingMiddleware.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Peer: HybridCache.GetOrCreateAsync, M.E.AI key")]
    public ValueTask<ChatResponse> HybridCacheHit() =>
        _hybrid.GetOrCreateAsync(
            _keys.Key(_messages, _options),
            (_model, _messages, _options),
            static (s, ct) => new ValueTask<ChatResponse>(s._model.GetResponseAsync(s._messages, s._options, ct)));

    [Benchmark(Description = "Peer: FusionCache.GetOrSetAsync, M.E.AI key")]
    public ValueTask<ChatResponse> FusionCacheHit() =>
        _fusion.GetOrSetAsync<ChatResponse>(_keys.Key(_messages, _options), _fusionFactory);
}
