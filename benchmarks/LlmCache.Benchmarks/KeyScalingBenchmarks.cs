using System;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LlmCache.Benchmarks;

/// <summary>
/// The key of a Microsoft.Extensions.AI chat request (messages and options with two tools) at 0.5, 4.4, 32 and
/// 256 KB: LlmCache's generated key builder with each tier's hash against DistributedCachingChatClient's key.
/// </summary>
[MemoryDiagnoser]
// Shape over precision (how cost grows with size or callers): the short job keeps the one-command run within the hour.
[ShortRunJob]
public class KeyScalingBenchmarks
{
    private readonly byte[] _digest = new byte[32];
    private PeerCachingClient _peer = null!;
    private ScalingChatRequest _request = null!;

    [ParamsSource(nameof(Sizes))]
    public double RequestKilobytes { get; set; }

    public static double[] Sizes => ScalingChatRequest.Sizes;

    [GlobalSetup]
    public void Setup()
    {
        _request = ScalingChatRequest.Create(RequestKilobytes);
        _peer = new PeerCachingClient(new FixedAnswerClient(), new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        Console.WriteLine($"// request content: {_request.ContentBytes} bytes in {_request.Messages.Count} messages");
    }

    [Benchmark(Baseline = true, Description = "Peer: DistributedCachingChatClient.GetCacheKey")]
    public string PeerKey() => _peer.Key(_request.Messages, _request.Options);

    [Benchmark(Description = "LlmCache: generated key builder + in-process digest (in-process key)")]
    public CacheKeyHash LlmCacheInProcessKey()
    {
        var writer = new CacheKeyWriter(stackalloc byte[1024], CachedMeaiChat.__LlmCache_ChatAsync.GetMaxKeySize(_request.Messages, _request.Options));
        try
        {
            CachedMeaiChat.__LlmCache_ChatAsync.WriteKey(ref writer, _request.Messages, _request.Options);
            return CacheKeyDigests.ComputeInProcess(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Benchmark(Description = "LlmCache: generated key builder + SHA-256 (remote-tier key)")]
    public byte LlmCacheRemoteKey()
    {
        var writer = new CacheKeyWriter(stackalloc byte[1024], CachedMeaiChat.__LlmCache_ChatAsync.GetMaxKeySize(_request.Messages, _request.Options));
        try
        {
            CachedMeaiChat.__LlmCache_ChatAsync.WriteKey(ref writer, _request.Messages, _request.Options);
            SHA256.HashData(writer.WrittenSpan, _digest);
            return _digest[0];
        }
        finally
        {
            writer.Dispose();
        }
    }
}
