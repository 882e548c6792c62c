using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.Redis;
using LlmCache.Redis.Tests.Servers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace LlmCache.Benchmarks;

/// <summary>
/// A Redis hit of the ~4.4 KB chat request (Microsoft.Extensions.AI messages and options with two tools), read back
/// from a local redis-server in one run: a generated <c>[LlmCached(Type = CacheType.Redis)]</c> method; a raw
/// StackExchange.Redis <c>StringGetAsync</c> of the very bytes LlmCache stored, with a prebuilt key (the floor, the
/// baseline); Microsoft.Extensions.AI's <c>DistributedCachingChatClient</c> over <c>RedisCache</c>; FusionCache with
/// the same <c>RedisCache</c> as its distributed level and its memory level skipped on every call
/// (<c>SkipMemoryCacheRead</c> and <c>SkipMemoryCacheWrite</c>), so that each call reads Redis. Both peers get the
/// key their user would build, Microsoft.Extensions.AI's own, computed on every call; all paths share one connection.
/// Loopback latency on a small machine varies from process to process, so each case runs in three processes, all
/// reading from the one server that Program.cs started for the run.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3)]
[BenchmarkCategory("RedisHit")]
public class RedisHitBenchmarks
{
    private readonly FixedAnswerClient _model = new();
    private readonly FusionCacheEntryOptions _fusionRedisOnly = new() { SkipMemoryCacheRead = true, SkipMemoryCacheWrite = true };
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private RedisServer? _ownServer;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private RedisCacheStore _store = null!;
    private CachedRedisMeaiChat _generated = null!;
    private RedisKey _rawKey;
    private IChatClient _peer = null!;
    private PeerCachingClient _keys = null!;
    private FusionCache _fusion = null!;
    private Func<FusionCacheFactoryExecutionContext<ChatResponse>, CancellationToken, Task<ChatResponse>> _fusionFactory = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();
        _connection = BenchmarkRedis.Connect(out _ownServer);
        _database = _connection.GetDatabase();
        _store = new RedisCacheStore(_connection, new RedisCacheStoreOptions { KeyPrefix = "bench:" });
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, _store));
        _generated = new CachedRedisMeaiChat(runtime, _model);

        RedisCache redisCache = RedisCacheOn(_connection, "meai:");
        _peer = new DistributedCachingChatClient(_model, redisCache);
        _keys = new PeerCachingClient(_model, redisCache);
        _fusion = PeerCaches.Fusion(RedisCacheOn(_connection, "fusion:"));
        _fusionFactory = (_, ct) => _model.GetResponseAsync(_messages, _options, ct);

        await HitCheck.ExpectHitsAsync(_model, CallAll);
        _rawKey = _store.GetRedisKey(CachedRedisMeaiChat.StoreKey(runtime, _messages, _options));
        if (await RawGet() is not { Length: > 0 })
        {
            throw new InvalidOperationException("The raw GET did not find the entry LlmCache stored.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fusion.Dispose();
        _store.Dispose();
        _connection.Dispose();
        _ownServer?.Dispose();
    }

    /// <summary>The floor: one GET of the same stored bytes.</summary>
    [Benchmark(Baseline = true, Description = "Floor: raw SE.Redis StringGetAsync, prebuilt key")]
    public async ValueTask<byte[]?> RawGet() => (byte[]?)await _database.StringGetAsync(_rawKey);

    [Benchmark(Description = "LlmCache: generated method, Redis hit")]
    public ValueTask<ChatResponse> GeneratedHit() => _generated.ChatAsync(_messages, _options);

    [Benchmark(Description = "Peer: DistributedCachingChatClient over RedisCache")]
    public Task<ChatResponse> PeerHit() => _peer.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "Peer: FusionCache, RedisCache L2, memory level skipped, M.E.AI key")]
    public ValueTask<ChatResponse> FusionCacheHit() => _fusion.GetOrSetAsync<ChatResponse>(_keys.Key(_messages, _options), _fusionFactory, options: _fusionRedisOnly);

    private static RedisCache RedisCacheOn(IConnectionMultiplexer connection, string instanceName) => new(new RedisCacheOptions
    {
        ConnectionMultiplexerFactory = () => Task.FromResult(connection),
        InstanceName = instanceName,
    });

    private async Task<ChatResponse[]> CallAll() => [await GeneratedHit(), await PeerHit(), await FusionCacheHit()];
}
