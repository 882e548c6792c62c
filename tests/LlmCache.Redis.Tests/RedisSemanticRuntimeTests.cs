using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Embeddings.MiniLM;
using LlmCache.Redis.Tests.Servers;
using Microsoft.Extensions.AI;

namespace LlmCache.Redis.Tests;

/// <summary>
/// CacheType.RedisSemantic end to end: generated methods in independent runtimes ("processes"), each with its own
/// Redis connection and in-process index, registered with UseRedisSemantic against the test Redis, embedding with the
/// real MiniLM model.
/// </summary>
public sealed class RedisSemanticRuntimeTests : IClassFixture<RedisServer>, IDisposable
{
    private const string Joke = "Tell me a joke.";
    private const string PoliteJoke = "Please tell me a joke";

    private readonly RedisServer _server;
    private readonly MiniLmEmbeddingGenerator _model = new();
    private readonly string _prefix = RedisServer.UniquePrefix();

    public RedisSemanticRuntimeTests(RedisServer server) => _server = server;

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task A_paraphrase_in_another_process_hits_and_a_process_started_later_finds_it_without_embedding_it()
    {
        var writerModel = new CountingEmbeddings(_model);
        await using LlmCacheRuntime writer = Runtime(writerModel);
        var first = new RedisSemanticAssistant(writer);
        await first.AskAsync(Joke);

        // Another process, already running: it learns of the record through the change stream.
        var readerModel = new CountingEmbeddings(_model);
        await using LlmCacheRuntime reader = Runtime(readerModel);
        var second = new RedisSemanticAssistant(reader);
        var outcome = new CacheOutcome();
        var clock = Stopwatch.StartNew();
        string answer = await second.AskAsync(PoliteJoke, new CacheControl { Outcome = outcome });
        while (outcome.Status != CacheOutcomeStatus.Hit && clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            answer = await second.AskAsync(PoliteJoke, new CacheControl { Outcome = outcome });
        }

        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.InRange(outcome.Similarity!.Value, 0.8, 1.0);
        Assert.Equal(RedisSemanticAssistant.AnswerFor(Joke), answer);
        Assert.Equal(0, second.Calls);

        // A process started after the write: the record comes from Redis, so only the query is embedded.
        var lateModel = new CountingEmbeddings(_model);
        await using LlmCacheRuntime late = Runtime(lateModel);
        var third = new RedisSemanticAssistant(late);
        var lateOutcome = new CacheOutcome();
        string lateAnswer = await third.AskAsync("Please, tell me a joke!", new CacheControl { Outcome = lateOutcome });

        Assert.Equal(CacheOutcomeStatus.Hit, lateOutcome.Status);
        Assert.Equal(RedisSemanticAssistant.AnswerFor(Joke), lateAnswer);
        Assert.Equal(["Please, tell me a joke!"], lateModel.Embedded);
    }

    [Fact]
    public async Task An_unrelated_prompt_misses_and_a_deleted_entry_is_gone_for_every_process()
    {
        await using LlmCacheRuntime writer = Runtime(new CountingEmbeddings(_model));
        await using LlmCacheRuntime reader = Runtime(new CountingEmbeddings(_model));
        var first = new RedisSemanticAssistant(writer);
        var second = new RedisSemanticAssistant(reader);
        var written = new CacheOutcome();
        await first.AskAsync(Joke, new CacheControl { Outcome = written });

        var unrelated = new CacheOutcome();
        await second.AskAsync("What is the capital of France?", new CacheControl { Outcome = unrelated });
        Assert.Equal(CacheOutcomeStatus.Miss, unrelated.Status);

        Assert.True(await writer.RemoveAsync(written.RemoteKey!));
        var afterDelete = new CacheOutcome();
        await second.AskAsync(PoliteJoke, new CacheControl { Outcome = afterDelete });

        Assert.Equal(CacheOutcomeStatus.Miss, afterDelete.Status);
        Assert.Equal(2, second.Calls);
    }

    private LlmCacheRuntime Runtime(IEmbeddingGenerator<string, Embedding<float>> model) =>
        new(new LlmCacheOptions().UseRedisSemantic(
            model,
            o =>
            {
                o.Host = "127.0.0.1";
                o.Port = _server.Port;
                o.UseEnvironment = false;
                o.KeyPrefix = _prefix;
            },
            new RedisVectorIndexOptions { KeyPrefix = _prefix + "semantic:" }));

    /// <summary>Counts what it embeds: a process that loads records from Redis embeds only its own prompts.</summary>
    private sealed class CountingEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly List<string> _embedded = [];

        public IReadOnlyList<string> Embedded
        {
            get
            {
                lock (_embedded)
                {
                    return _embedded.ToArray();
                }
            }
        }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            lock (_embedded)
            {
                _embedded.AddRange(values);
            }

            return inner.GenerateAsync(values, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}

/// <summary>A service with one RedisSemantic method.</summary>
public sealed partial class RedisSemanticAssistant(LlmCacheRuntime runtime)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public static string AnswerFor(string prompt) => "answer to " + prompt;

    [LlmCached(Type = CacheType.RedisSemantic)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl cache = default);

    private ValueTask<string> AskAsyncCore(string prompt)
    {
        Interlocked.Increment(ref _calls);
        return new(AnswerFor(prompt));
    }
}
