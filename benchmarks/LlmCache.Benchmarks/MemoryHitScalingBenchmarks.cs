using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LlmCache.Benchmarks;

/// <summary>
/// A memory hit of a Microsoft.Extensions.AI chat request at 0.5, 4.4, 32 and 256 KB: a generated [LlmCached]
/// method against DistributedCachingChatClient over MemoryDistributedCache with the same request.
/// </summary>
[MemoryDiagnoser]
// Shape over precision (how cost grows with size or callers): the short job keeps the one-command run within the hour.
[ShortRunJob]
public class MemoryHitScalingBenchmarks
{
    private CachedMeaiChat _generated = null!;
    private IChatClient _peer = null!;
    private ScalingChatRequest _request = null!;

    [ParamsSource(nameof(Sizes))]
    public double RequestKilobytes { get; set; }

    public static double[] Sizes => ScalingChatRequest.Sizes;

    [GlobalSetup]
    public async Task Setup()
    {
        _request = ScalingChatRequest.Create(RequestKilobytes);
        _generated = new CachedMeaiChat(new LlmCacheRuntime());
        await _generated.ChatAsync(_request.Messages, _request.Options);
        await _generated.ChatSharedAsync(_request.Messages, _request.Options);
        _peer = new DistributedCachingChatClient(new FixedAnswerClient(), new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        await _peer.GetResponseAsync(_request.Messages, _request.Options);
        Console.WriteLine($"// request content: {_request.ContentBytes} bytes in {_request.Messages.Count} messages");
    }

    [Benchmark(Baseline = true, Description = "Peer: DistributedCachingChatClient hit over MemoryDistributedCache")]
    public Task<ChatResponse> PeerHit() => _peer.GetResponseAsync(_request.Messages, _request.Options);

    [Benchmark(Description = "LlmCache: memory hit through a generated [LlmCached] method (a copy per hit)")]
    public ChatResponse GeneratedHit() => _generated.ChatAsync(_request.Messages, _request.Options).Result;

    [Benchmark(Description = "LlmCache: memory hit through a generated [LlmCached] method (ShareResult)")]
    public ChatResponse GeneratedSharedHit() => _generated.ChatSharedAsync(_request.Messages, _request.Options).Result;
}
