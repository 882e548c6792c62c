using System;
using System.Collections.Generic;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LlmCache.Benchmarks;

/// <summary>
/// The same ~4.4 KB chat request (system prompt, three turns, two tools) on both sides, in one run:
/// LlmCache's generated key builder and memory hit against Microsoft.Extensions.AI's DistributedCachingChatClient
/// over MemoryDistributedCache, and the floor, one-shot SHA-256 over the same canonical bytes.
/// </summary>
[MemoryDiagnoser]
public class HitPathBenchmarks
{
    private readonly byte[] _digest = new byte[32];
    private CachedChat _cached = null!;
    private PeerCachingClient _peer = null!;
    private List<ChatMessage> _peerMessages = null!;
    private ChatOptions _peerOptions = null!;
    private byte[] _canonical = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _cached = new CachedChat(new LlmCacheRuntime());
        await _cached.AskAsync(ChatRequest.Model, ChatRequest.SystemPrompt, ChatRequest.Turns, ChatRequest.Tools, ChatRequest.Temperature, ChatRequest.MaxTokens);

        _peer = new PeerCachingClient(new FixedAnswerClient(), new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        _peerMessages = ChatRequest.PeerMessages();
        _peerOptions = ChatRequest.PeerOptions();
        await _peer.GetResponseAsync(_peerMessages, _peerOptions);

        Span<byte> buffer = stackalloc byte[16 * 1024];
        var writer = new CacheKeyWriter(buffer);
        WriteCanonical(ref writer);
        _canonical = writer.WrittenSpan.ToArray();
        Console.WriteLine($"// request content: {ChatRequest.ContentBytes} bytes; LlmCache canonical key: {_canonical.Length} bytes");
    }

    [Benchmark(Baseline = true, Description = "Floor: SHA-256 of the canonical bytes")]
    public byte Sha256Floor()
    {
        SHA256.HashData(_canonical, _digest);
        return _digest[0];
    }

    [Benchmark(Description = "LlmCache: generated key builder + SHA-256 (remote-tier key)")]
    public byte LlmCacheRemoteKey()
    {
        Span<byte> stack = stackalloc byte[1024];
        var writer = new CacheKeyWriter(stack, SizeHint());
        try
        {
            WriteCanonical(ref writer);
            SHA256.HashData(writer.WrittenSpan, _digest);
            return _digest[0];
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Benchmark(Description = "LlmCache: generated key builder + XxHash128 (in-process key)")]
    public UInt128 LlmCacheInProcessKey()
    {
        Span<byte> stack = stackalloc byte[1024];
        var writer = new CacheKeyWriter(stack, SizeHint());
        try
        {
            WriteCanonical(ref writer);
            return XxHash128.HashToUInt128(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Benchmark(Description = "Peer: DistributedCachingChatClient.GetCacheKey")]
    public string PeerKey() => _peer.Key(_peerMessages, _peerOptions);

    [Benchmark(Description = "LlmCache: memory hit through the generated method")]
    public string LlmCacheMemoryHit()
    {
        ValueTask<string> pending = _cached.AskAsync(ChatRequest.Model, ChatRequest.SystemPrompt, ChatRequest.Turns, ChatRequest.Tools, ChatRequest.Temperature, ChatRequest.MaxTokens);
        return pending.Result;
    }

    [Benchmark(Description = "Peer: DistributedCachingChatClient hit over MemoryDistributedCache")]
    public async Task<ChatResponse> PeerMemoryHit() => await _peer.GetResponseAsync(_peerMessages, _peerOptions);

    private static int SizeHint() =>
        CachedChat.__LlmCache_AskAsync.GetMaxKeySize(ChatRequest.Model, ChatRequest.SystemPrompt, ChatRequest.Turns, ChatRequest.Tools, ChatRequest.Temperature, ChatRequest.MaxTokens);

    private static void WriteCanonical(ref CacheKeyWriter writer) =>
        CachedChat.__LlmCache_AskAsync.WriteKey(ref writer, ChatRequest.Model, ChatRequest.SystemPrompt, ChatRequest.Turns, ChatRequest.Tools, ChatRequest.Temperature, ChatRequest.MaxTokens);
}
