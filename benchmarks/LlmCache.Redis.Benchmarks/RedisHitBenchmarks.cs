using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LlmCache.Redis.Tests.Servers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace LlmCache.Redis.Benchmarks;

/// <summary>
/// One cached chat answer of about 2 KB, read back from a local redis-server three ways: through a generated
/// <c>[LlmCached(Type = CacheType.Redis)]</c> method, a raw StackExchange.Redis <c>StringGetAsync</c> of the same stored
/// bytes (the floor), and Microsoft.Extensions.AI's <c>DistributedCachingChatClient</c> over
/// <c>RedisCache</c> (the peer). Loopback latency on a small machine varies from process to process, so each case
/// runs in three processes, all reading from the one server that <see cref="Program"/> started for the run.
/// Each path is measured twice: one hit per invocation, on which BenchmarkDotNet's thread blocks, and 16 hits
/// awaited in sequence per invocation, which is how an async caller meets them (no thread waits on each one).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedisHitBenchmarks
{
    /// <summary>One hit per invocation: BenchmarkDotNet's thread blocks until each hit completes.</summary>
    private const string OneHit = "one hit per invocation";

    /// <summary>Hits awaited one after another inside an invocation, as an async caller (a web request) awaits them.</summary>
    private const string AsyncCaller = "16 hits awaited in sequence";

    private const int HitsInSequence = 16;
    private const string Model = "gpt-4o-mini";

    private static readonly string Question =
        "Summarise the trade-offs between write-through and write-behind caching for an LLM gateway, " +
        "with attention to consistency, latency and what happens when the cache server restarts.";

    private readonly List<ChatMessage> _messages = [new ChatMessage(ChatRole.User, Question)];
    private readonly ChatOptions _chatOptions = new() { ModelId = Model };
    private RedisServer? _ownServer;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private RedisCacheStore _store = null!;
    private LlmCacheRuntime _runtime = null!;
    private RedisAssistant _assistant = null!;
    private RedisKey _rawKey;
    private IChatClient _peer = null!;
    private FixedAnswerChatClient _model = null!;

    /// <summary>The answer, about 2 KB.</summary>
    internal static string Answer { get; } = BuildAnswer();

    [GlobalSetup]
    public void Setup()
    {
        _connection = BenchmarkRedis.Connect(out _ownServer);
        _database = _connection.GetDatabase();
        _store = new RedisCacheStore(_connection, new RedisCacheStoreOptions { KeyPrefix = "bench:" });
        _runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Redis, _store));
        _model = new FixedAnswerChatClient();
        _assistant = new RedisAssistant(_runtime, _model);

        var redisCache = new RedisCache(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(_connection),
            InstanceName = "meai:",
        });
        _peer = new DistributedCachingChatClient(_model, redisCache);

        // Fill all three: the first call of each is a miss that stores the answer.
        string first = LlmCacheHit().AsTask().GetAwaiter().GetResult();
        CacheStoreKey storeKey = StoreKey(_runtime, Model, Question);
        _rawKey = _store.GetRedisKey(storeKey);
        ChatResponse peerFirst = _peer.GetResponseAsync(_messages, _chatOptions).GetAwaiter().GetResult();
        int modelCalls = _model.Calls;

        if (first != Answer || peerFirst.Text != Answer || RawGet().AsTask().GetAwaiter().GetResult()!.Length < Answer.Length ||
            LlmCacheHit().AsTask().GetAwaiter().GetResult() != Answer ||
            DistributedCachingChatClientHit().GetAwaiter().GetResult().Text != Answer || _model.Calls != modelCalls)
        {
            throw new InvalidOperationException("The benchmark's three paths did not all hit the same cached answer.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _connection.Dispose();
        _ownServer?.Dispose();
    }

    /// <summary>The floor: one GET of the same stored bytes.</summary>
    [Benchmark(Baseline = true, Description = "raw SE.Redis StringGetAsync")]
    [BenchmarkCategory(OneHit)]
    public async ValueTask<byte[]?> RawGet() => (byte[]?)await _database.StringGetAsync(_rawKey);

    /// <summary>A Redis hit through a generated cached method.</summary>
    [Benchmark(Description = "LlmCache Redis hit")]
    [BenchmarkCategory(OneHit)]
    public ValueTask<string> LlmCacheHit() => _assistant.AskAsync(Model, Question);

    /// <summary>The peer: Microsoft.Extensions.AI's caching chat client over RedisCache.</summary>
    [Benchmark(Description = "M.E.AI DistributedCachingChatClient + RedisCache")]
    [BenchmarkCategory(OneHit)]
    public Task<ChatResponse> DistributedCachingChatClientHit() => _peer.GetResponseAsync(_messages, _chatOptions);

    /// <summary>The floor, awaited <see cref="HitsInSequence"/> times in a row.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = HitsInSequence, Description = "raw SE.Redis StringGetAsync")]
    [BenchmarkCategory(AsyncCaller)]
    public async Task<int> RawGetInSequence()
    {
        int bytes = 0;
        for (int i = 0; i < HitsInSequence; i++)
        {
            bytes += ((byte[]?)await _database.StringGetAsync(_rawKey))!.Length;
        }

        return bytes;
    }

    /// <summary>The generated method's hit, awaited <see cref="HitsInSequence"/> times in a row.</summary>
    [Benchmark(OperationsPerInvoke = HitsInSequence, Description = "LlmCache Redis hit")]
    [BenchmarkCategory(AsyncCaller)]
    public async Task<int> LlmCacheHitInSequence()
    {
        int characters = 0;
        for (int i = 0; i < HitsInSequence; i++)
        {
            characters += (await _assistant.AskAsync(Model, Question)).Length;
        }

        return characters;
    }

    /// <summary>The peer's hit, awaited <see cref="HitsInSequence"/> times in a row.</summary>
    [Benchmark(OperationsPerInvoke = HitsInSequence, Description = "M.E.AI DistributedCachingChatClient + RedisCache")]
    [BenchmarkCategory(AsyncCaller)]
    public async Task<int> DistributedCachingChatClientHitInSequence()
    {
        int messages = 0;
        for (int i = 0; i < HitsInSequence; i++)
        {
            messages += (await _peer.GetResponseAsync(_messages, _chatOptions)).Messages.Count;
        }

        return messages;
    }

    /// <summary>The remote key that <see cref="RedisAssistant.AskAsync"/> uses for these arguments.</summary>
    internal static CacheStoreKey StoreKey(LlmCacheRuntime runtime, string model, string question)
    {
        Span<byte> stack = stackalloc byte[1024];
        var writer = new CacheKeyWriter(stack, 1024);
        try
        {
            runtime.WriteKeyHeader(ref writer, RedisAssistant.__LlmCache_AskAsync.Method, default);
            RedisAssistant.__LlmCache_AskAsync.WriteKey(ref writer, model, question);
            return CacheStoreKey.FromCanonicalKey(string.Empty, writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static string BuildAnswer()
    {
        var text = new StringBuilder();
        for (int i = 0; text.Length < 2048; i++)
        {
            text.Append("Point ").Append(i).Append(": write-behind lowers latency but risks losing buffered writes; write-through is consistent. ");
        }

        return text.ToString(0, 2048);
    }

    /// <summary>The "model": always the same answer, counted.</summary>
    internal sealed class FixedAnswerChatClient : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<string> AnswerAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return new ValueTask<string>(Answer);
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer)) { ModelId = options?.ModelId });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
