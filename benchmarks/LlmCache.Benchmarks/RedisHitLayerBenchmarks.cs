using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.Redis;
using LlmCache.Redis.Tests.Servers;
using Microsoft.Extensions.AI;
using StackExchange.Redis;

namespace LlmCache.Benchmarks;

/// <summary>
/// The Redis hit path of <see cref="RedisHitBenchmarks"/> peeled one layer at a time, in one run: where the time
/// between a raw GET and a generated method's hit goes. The last case replaces Redis with a store that answers at
/// once, which isolates LlmCache's own cost per hit.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1)]
[BenchmarkCategory("RedisHit")]
public class RedisHitLayerBenchmarks
{
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private RedisServer? _ownServer;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private RedisCacheStore _store = null!;
    private ResilientCacheStore _guarded = null!;
    private CachedRedisMeaiChat _generated = null!;
    private CachedRedisMeaiChat _overInstantStore = null!;
    private CacheStoreKey _storeKey;
    private RedisKey _rawKey;
    private string _stringKey = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _messages = ChatRequest.PeerMessages();
        _options = ChatRequest.PeerOptions();
        _connection = BenchmarkRedis.Connect(out _ownServer);
        _database = _connection.GetDatabase();
        _store = new RedisCacheStore(_connection, new RedisCacheStoreOptions { KeyPrefix = "bench:" });
        _guarded = new ResilientCacheStore(_store);
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, _store));
        _generated = new CachedRedisMeaiChat(runtime, new FixedAnswerClient());
        await _generated.ChatAsync(_messages, _options);
        _storeKey = CachedRedisMeaiChat.StoreKey(runtime, _messages, _options);
        _stringKey = _store.GetRedisKey(_storeKey);
        _rawKey = _stringKey;
        CacheEntry entry = await _store.GetAsync(_storeKey) ?? throw new InvalidOperationException("The entry was not stored.");
        var instant = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, new InstantStore(entry)));
        _overInstantStore = new CachedRedisMeaiChat(instant, new FixedAnswerClient());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _connection.Dispose();
        _ownServer?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw GET, prebuilt key")]
    public async ValueTask<byte[]?> RawGet() => (byte[]?)await _database.StringGetAsync(_rawKey);

    [Benchmark(Description = "raw GET, string key")]
    public async ValueTask<byte[]?> RawGetStringKey() => (byte[]?)await _database.StringGetAsync(_stringKey);

    [Benchmark(Description = "RedisCacheStore.GetAsync")]
    public ValueTask<CacheEntry?> Store() => _store.GetAsync(_storeKey);

    [Benchmark(Description = "ResilientCacheStore.GetAsync")]
    public ValueTask<CacheEntry?> Guarded() => _guarded.GetAsync(_storeKey);

    [Benchmark(Description = "generated method")]
    public ValueTask<ChatResponse> Generated() => _generated.ChatAsync(_messages, _options);

    [Benchmark(Description = "generated method over an instant store")]
    public ValueTask<ChatResponse> GeneratedOverInstantStore() => _overInstantStore.ChatAsync(_messages, _options);
}
