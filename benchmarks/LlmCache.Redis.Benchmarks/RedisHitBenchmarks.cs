using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
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
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3)]
public class RedisHitBenchmarks
{
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
    public async ValueTask<byte[]?> RawGet() => (byte[]?)await _database.StringGetAsync(_rawKey);

    /// <summary>A Redis hit through a generated cached method.</summary>
    [Benchmark(Description = "LlmCache Redis hit")]
    public ValueTask<string> LlmCacheHit() => _assistant.AskAsync(Model, Question);

    /// <summary>The peer: Microsoft.Extensions.AI's caching chat client over RedisCache.</summary>
    [Benchmark(Description = "M.E.AI DistributedCachingChatClient + RedisCache")]
    public Task<ChatResponse> DistributedCachingChatClientHit() => _peer.GetResponseAsync(_messages, _chatOptions);

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
