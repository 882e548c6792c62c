using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LlmCache.Benchmarks;

/// <summary>
/// Memory hits per second with 1, 2 and 8 concurrent callers over 10,000 and 1,000,000 cached entries: each caller
/// asks one-question chat requests (Microsoft.Extensions.AI messages) in a shuffled order over all entries, through
/// a generated [LlmCached] method and through DistributedCachingChatClient over MemoryDistributedCache. A result is
/// the time of one hit across all callers (ops/s = 1 s / Mean); the machine has 2 cores, so 8 callers share them.
/// </summary>
[MemoryDiagnoser]
// Shape over precision (how cost grows with size or callers): the short job keeps the one-command run within the hour.
[ShortRunJob]
public class MemoryThroughputBenchmarks
{
    private const int LlmCacheHitsPerInvoke = 1 << 16;
    private const int PeerHitsPerInvoke = 1 << 12;
    private static readonly ChatOptions RequestOptions = new() { ModelId = ChatRequest.Model };

    private List<ChatMessage>[] _requests = null!;
    private int[] _order = null!;
    private ThroughputAssistant _generated = null!;
    private IChatClient _peer = null!;
    private ThroughputCallers _callers = null!;
    private int _offset;
    private int _perCaller;

    [Params(10_000, 1_000_000)]
    public int Entries { get; set; }

    [Params(1, 2, 8)]
    public int Callers { get; set; }

    [GlobalSetup(Target = nameof(LlmCacheHits))]
    public async Task SetupLlmCache()
    {
        CreateRequests();
        var options = new LlmCacheOptions();
        options.Memory.MaxEntries = Entries + 1;
        options.Memory.MaxBytes = long.MaxValue;
        _generated = new ThroughputAssistant(new LlmCacheRuntime(options));
        foreach (List<ChatMessage> request in _requests)
        {
            await _generated.ChatAsync(request, RequestOptions);
        }

        // Every entry must still be there: a sample asked again reaches no implementation.
        for (int i = 0; i < Entries; i += 97)
        {
            await _generated.ChatAsync(_requests[i], RequestOptions);
        }

        if (_generated.Calls != Entries)
        {
            throw new InvalidOperationException($"{_generated.Calls - Entries} of the sampled entries were not in the cache.");
        }

        _perCaller = LlmCacheHitsPerInvoke / Callers;
        _callers = new ThroughputCallers(Callers, LlmCacheSlice);
    }

    [GlobalSetup(Target = nameof(PeerHits))]
    public async Task SetupPeer()
    {
        CreateRequests();
        _peer = new DistributedCachingChatClient(new FixedAnswerClient(), new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { SizeLimit = null })));
        foreach (List<ChatMessage> request in _requests)
        {
            await _peer.GetResponseAsync(request, RequestOptions);
        }

        _perCaller = PeerHitsPerInvoke / Callers;
        _callers = new ThroughputCallers(Callers, PeerSlice);
    }

    [GlobalCleanup]
    public void Cleanup() => _callers.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = PeerHitsPerInvoke, Description = "Peer: DistributedCachingChatClient hits over MemoryDistributedCache")]
    public void PeerHits() => RunCallers(PeerHitsPerInvoke);

    [Benchmark(OperationsPerInvoke = LlmCacheHitsPerInvoke, Description = "LlmCache: memory hits through a generated [LlmCached] method")]
    public void LlmCacheHits() => RunCallers(LlmCacheHitsPerInvoke);

    private void RunCallers(int hits)
    {
        _callers.Run();
        _offset = (_offset + hits) % Entries;
    }

    private void LlmCacheSlice(int caller)
    {
        int index = (_offset + caller * _perCaller) % Entries;
        for (int i = 0; i < _perCaller; i++)
        {
            if (!_generated.ChatAsync(_requests[_order[index]], RequestOptions).IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("A hit did not complete synchronously.");
            }

            index = index + 1 == Entries ? 0 : index + 1;
        }
    }

    private void PeerSlice(int caller)
    {
        int index = (_offset + caller * _perCaller) % Entries;
        for (int i = 0; i < _perCaller; i++)
        {
            _peer.GetResponseAsync(_requests[_order[index]], RequestOptions).GetAwaiter().GetResult();
            index = index + 1 == Entries ? 0 : index + 1;
        }
    }

    private void CreateRequests()
    {
        _requests = new List<ChatMessage>[Entries];
        for (int i = 0; i < Entries; i++)
        {
            _requests[i] = [new ChatMessage(ChatRole.User, $"Which routing from Lisbon to Tokyo has the best allowance for two checked bags on booking {i}?")];
        }

        _order = new int[Entries];
        for (int i = 0; i < Entries; i++)
        {
            _order[i] = i;
        }

        new Random(13).Shuffle(_order);
    }
}
