using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LlmCache.Benchmarks;

/// <summary>
/// The key of the ~4.4 KB chat request (Microsoft.Extensions.AI messages and options with two tools), in one run:
/// the key builder generated for <see cref="CachedMeaiChat.ChatSharedAsync"/>, Microsoft.Extensions.AI's
/// <c>DistributedCachingChatClient.GetCacheKey</c>, and the floor: one-shot SHA-256 of the canonical bytes, meaning
/// exactly the bytes LlmCache's remote-tier key hashes (the runtime's key header, then the generated key of the
/// messages and options), written once in the set-up.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("KeyBuilding")]
public class KeyBuildingBenchmarks
{
    private readonly byte[] _digest = new byte[CacheKeyDigests.RemoteLength];
    private readonly LlmCacheRuntime _runtime = new();
    private readonly CachedMethod<ChatResponse> _method = CachedMeaiChat.__LlmCache_ChatSharedAsync.Method;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private PeerCachingClient _peer = null!;
    private byte[] _canonical = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();
        _peer = new PeerCachingClient(new FixedAnswerClient(), new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

        var writer = new CacheKeyWriter(default, KeySize());
        try
        {
            WriteKey(ref writer);
            _canonical = writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }

        Console.WriteLine($"// request content: {ChatRequest.ContentBytes} bytes; LlmCache canonical key: {_canonical.Length} bytes; peer key: {_peer.Key(_messages, _options)}");
    }

    [Benchmark(Baseline = true, Description = "Floor: SHA-256 of the canonical bytes")]
    public byte Sha256Floor()
    {
        SHA256.HashData(_canonical, _digest);
        return _digest[0];
    }

    [Benchmark(Description = "LlmCache: generated key + SHA-256 (remote-tier key)")]
    public byte LlmCacheRemoteKey()
    {
        int size = KeySize();
        var writer = new CacheKeyWriter(size <= 1024 ? stackalloc byte[1024] : default, size);
        try
        {
            WriteKey(ref writer);
            CacheKeyDigests.ComputeRemote(writer.WrittenSpan, _digest);
            return _digest[0];
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Benchmark(Description = "LlmCache: generated key + in-process digest (in-process key)")]
    public CacheKeyHash LlmCacheInProcessKey()
    {
        int size = KeySize();
        var writer = new CacheKeyWriter(size <= 1024 ? stackalloc byte[1024] : default, size);
        try
        {
            WriteKey(ref writer);
            return CacheKeyDigests.ComputeInProcess(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Benchmark(Description = "Peer: DistributedCachingChatClient.GetCacheKey")]
    public string PeerKey() => _peer.Key(_messages, _options);

    // What the generated ChatSharedAsync does before its lookup: the size hint, the header, the messages and options.
    private int KeySize() =>
        _runtime.GetKeyHeaderSize(_method, default) + CachedMeaiChat.__LlmCache_ChatSharedAsync.GetMaxKeySize(_messages, _options);

    private void WriteKey(ref CacheKeyWriter writer)
    {
        _runtime.WriteKeyHeader(ref writer, _method, default);
        CachedMeaiChat.__LlmCache_ChatSharedAsync.WriteKey(ref writer, _messages, _options);
    }
}
