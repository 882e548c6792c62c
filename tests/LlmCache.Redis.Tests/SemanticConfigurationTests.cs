using System;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Embeddings.MiniLM;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.Redis.Tests;

/// <summary>
/// The semantic cache types from configuration (<c>AddLlmCache(section).AddRedis()</c>): the embedding generator is
/// the one registered in the container, <c>redis-semantic</c> and <c>dual-semantic</c> get a Redis-backed shared index
/// over the configured store, disposed with it. Against the test Redis, embedding with the real MiniLM model.
/// </summary>
public sealed class SemanticConfigurationTests : IClassFixture<RedisServer>, IDisposable
{
    private const string Joke = "Tell me a joke.";
    private const string PoliteJoke = "Please tell me a joke";

    private readonly RedisServer _server;
    private readonly MiniLmEmbeddingGenerator _model = new();
    private readonly string _prefix = RedisServer.UniquePrefix();

    public SemanticConfigurationTests(RedisServer server) => _server = server;

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Redis_semantic_from_configuration_serves_a_paraphrase_to_another_process_and_disposes_its_index_with_the_store()
    {
        IVectorIndex index;
        await using (ServiceProvider writer = Provider("redis-semantic"))
        await using (ServiceProvider reader = Provider("redis-semantic"))
        {
            Assert.Null(ConfiguredServices.StartupFailure(writer));
            Assert.Null(ConfiguredServices.StartupFailure(reader));
            LlmCacheOptions options = writer.GetRequiredService<LlmCacheRuntime>().GetOptions();
            index = Assert.IsType<RedisVectorIndex>(options.Semantic.SharedIndex);
            Assert.Same(_model, options.Semantic.EmbeddingGenerator);
            Assert.Equal(_prefix + "semantic:", ((RedisVectorIndex)index).KeyPrefix);

            var asker = new ConfiguredSemanticAssistant(writer.GetRequiredService<LlmCacheRuntime>());
            await asker.AskRedisSemanticAsync(Joke);
            var other = new ConfiguredSemanticAssistant(reader.GetRequiredService<LlmCacheRuntime>());
            CacheOutcome outcome = await AskUntilHitAsync(control => other.AskRedisSemanticAsync(PoliteJoke, control));

            Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
            Assert.Equal("redis", outcome.Tier);
            Assert.InRange(outcome.Similarity!.Value, 0.8, 1.0);
            Assert.Equal(0, other.Calls);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await index.SearchAsync("default", "scope", new float[384], 1));
    }

    [Fact]
    public async Task Dual_semantic_from_configuration_has_an_in_process_index_in_front_of_the_shared_one()
    {
        await using ServiceProvider provider = Provider("dual-semantic");
        Assert.Null(ConfiguredServices.StartupFailure(provider));
        LlmCacheOptions options = provider.GetRequiredService<LlmCacheRuntime>().GetOptions();
        Assert.IsType<RedisVectorIndex>(options.Semantic.SharedIndex);
        Assert.NotNull(options.Semantic.Index);

        var asker = new ConfiguredSemanticAssistant(provider.GetRequiredService<LlmCacheRuntime>());
        await asker.AskDualSemanticAsync(Joke);
        var outcome = new CacheOutcome();
        await asker.AskDualSemanticAsync(PoliteJoke, new CacheControl { Outcome = outcome });

        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal("memory", outcome.Tier);
        Assert.Equal(1, asker.Calls);
    }

    [Fact]
    public async Task Semantic_from_configuration_needs_no_redis_and_hits_in_process()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_model)
            .AddLlmCache(ConfiguredServices.Section("""{ "LlmCache": { "type": "local-semantic", "similarity_threshold": 0.8 } }"""))
            .AddRedis()
            .Services.BuildServiceProvider();
        Assert.Null(ConfiguredServices.StartupFailure(provider));
        Assert.False(provider.GetRequiredService<LlmCacheRuntime>().GetOptions().Stores.ContainsKey(CacheType.Redis));

        var asker = new ConfiguredSemanticAssistant(provider.GetRequiredService<LlmCacheRuntime>());
        await asker.AskSemanticAsync(Joke);
        var outcome = new CacheOutcome();
        await asker.AskSemanticAsync(PoliteJoke, new CacheControl { Outcome = outcome });

        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal(1, asker.Calls);
    }

    [Theory]
    [InlineData("redis-semantic")]
    [InlineData("dual-semantic")]
    [InlineData("local-semantic")]
    public async Task A_semantic_type_without_a_registered_generator_fails_at_start_up_naming_it(string type)
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(Section(type))
            .AddRedis()
            .Services.BuildServiceProvider();

        ConfiguredServices.AssertOneMessageSaying(
            ConfiguredServices.StartupFailure(provider),
            ["LlmCache:DefaultType (type)", "IEmbeddingGenerator<string, Embedding<float>>"]);
    }

    // The record of the writer reaches the reader's index through the change stream, within its poll interval.
    private static async Task<CacheOutcome> AskUntilHitAsync(Func<CacheControl, ValueTask<string>> ask)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var outcome = new CacheOutcome();
            await ask(new CacheControl { Outcome = outcome });
            if (outcome.Status == CacheOutcomeStatus.Hit || deadline.IsCancellationRequested)
            {
                return outcome;
            }

            await Task.Delay(50);
        }
    }

    private ServiceProvider Provider(string type) => new ServiceCollection()
        .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_model)
        .AddLlmCache(Section(type))
        .AddRedis()
        .Services.BuildServiceProvider();

    private IConfigurationSection Section(string type) => ConfiguredServices.Section($$"""
        { "LlmCache": {
            "type": "{{type}}",
            "similarity_threshold": 0.8,
            "host": "127.0.0.1",
            "port": "{{_server.Port}}",
            "Redis": { "KeyPrefix": "{{_prefix}}", "UseEnvironment": false } } }
        """);
}

/// <summary>A service with a method of each semantic type, whose stores and indexes come from configuration.</summary>
public sealed partial class ConfiguredSemanticAssistant(LlmCacheRuntime runtime)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached(Type = CacheType.RedisSemantic)]
    public partial ValueTask<string> AskRedisSemanticAsync(string prompt, CacheControl cache = default);

    [LlmCached(Type = CacheType.DualSemantic)]
    public partial ValueTask<string> AskDualSemanticAsync(string prompt, CacheControl cache = default);

    [LlmCached(Type = CacheType.Semantic)]
    public partial ValueTask<string> AskSemanticAsync(string prompt, CacheControl cache = default);

    private ValueTask<string> AskRedisSemanticAsyncCore(string prompt) => Answer(prompt);

    private ValueTask<string> AskDualSemanticAsyncCore(string prompt) => Answer(prompt);

    private ValueTask<string> AskSemanticAsyncCore(string prompt) => Answer(prompt);

    private ValueTask<string> Answer(string prompt)
    {
        Interlocked.Increment(ref _calls);
        return new("answer to " + prompt);
    }
}
