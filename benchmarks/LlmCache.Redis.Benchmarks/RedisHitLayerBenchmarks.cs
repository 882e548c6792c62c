using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.Redis.Tests.Servers;
using StackExchange.Redis;

namespace LlmCache.Redis.Benchmarks;

/// <summary>
/// The Redis hit path peeled one layer at a time, in one run: where the time between a raw GET and a generated
/// method's hit goes. The last case replaces Redis with a store that answers at once, which isolates LlmCache's own
/// cost per hit.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3)]
public class RedisHitLayerBenchmarks
{
    private const string Model = "gpt-4o-mini";
    private const string Question = "Summarise the trade-offs between write-through and write-behind caching.";

    private RedisServer? _ownServer;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private RedisCacheStore _store = null!;
    private ResilientCacheStore _guarded = null!;
    private RedisAssistant _assistant = null!;
    private RedisAssistant _overInstantStore = null!;
    private CacheStoreKey _storeKey;
    private RedisKey _rawKey;
    private string _stringKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _connection = BenchmarkRedis.Connect(out _ownServer);
        _database = _connection.GetDatabase();
        _store = new RedisCacheStore(_connection, new RedisCacheStoreOptions { KeyPrefix = "bench:" });
        _guarded = new ResilientCacheStore(_store);
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, _store));
        _assistant = new RedisAssistant(runtime, new RedisHitBenchmarks.FixedAnswerChatClient());
        _assistant.AskAsync(Model, Question).AsTask().GetAwaiter().GetResult();
        _storeKey = RedisHitBenchmarks.StoreKey(runtime, Model, Question);
        _stringKey = _store.GetRedisKey(_storeKey);
        _rawKey = _stringKey;
        CacheEntry entry = _store.GetAsync(_storeKey).AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("The entry was not stored.");
        var instant = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, new InstantStore(entry)));
        _overInstantStore = new RedisAssistant(instant, new RedisHitBenchmarks.FixedAnswerChatClient());
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
    public ValueTask<string> Generated() => _assistant.AskAsync(Model, Question);

    [Benchmark(Description = "generated method over an instant store")]
    public ValueTask<string> GeneratedOverInstantStore() => _overInstantStore.AskAsync(Model, Question);
}
