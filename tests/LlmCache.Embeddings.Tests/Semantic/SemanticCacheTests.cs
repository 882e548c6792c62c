using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Embeddings.Tests.Semantic;

/// <summary>
/// The semantic cache types end to end: generated methods, the runtime's semantic path and the real MiniLM model,
/// on the reference's examples ("Tell me a joke." / "Please tell me a joke") and the scope a hit never crosses.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class SemanticCacheTests(MiniLmFixture model)
{
    private const string Joke = "Tell me a joke.";
    private const string PoliteJoke = "Please tell me a joke";

    [Fact]
    public async Task A_paraphrase_is_a_semantic_hit_that_reports_its_similarity()
    {
        using LlmCacheRuntime runtime = Runtime();
        var assistant = new SemanticAssistant(runtime);
        var first = new CacheOutcome();
        var second = new CacheOutcome();

        string answer = await assistant.AskAsync("gpt-4o", Joke, 0.2f, new CacheControl { Outcome = first });
        string paraphrased = await assistant.AskAsync("gpt-4o", PoliteJoke, 0.2f, new CacheControl { Outcome = second });

        Assert.Equal(CacheOutcomeStatus.Miss, first.Status);
        Assert.Null(first.Similarity);
        Assert.Equal(answer, paraphrased);
        Assert.Equal(1, assistant.Calls);
        Assert.Equal(CacheOutcomeStatus.Hit, second.Status);
        Assert.Equal("memory", second.Tier);
        Assert.InRange(second.Similarity!.Value, SemanticCacheOptions.DefaultSimilarityThreshold, 1.0001);
        Assert.Equal(first.RemoteKey, second.RemoteKey);
    }

    [Fact]
    public async Task An_unrelated_prompt_is_a_miss()
    {
        using LlmCacheRuntime runtime = Runtime();
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();

        await assistant.AskAsync("gpt-4o", Joke, 0.2f);
        string answer = await assistant.AskAsync("gpt-4o", "What is the capital of France?", 0.2f, new CacheControl { Outcome = outcome });

        Assert.Equal(2, assistant.Calls);
        Assert.Contains("capital of France", answer, StringComparison.Ordinal);
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Null(outcome.Similarity);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("temperature")]
    [InlineData("namespace")]
    public async Task A_paraphrase_with_another_key_input_is_a_miss(string changed)
    {
        using LlmCacheRuntime runtime = Runtime();
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();

        await assistant.AskAsync("gpt-4o", Joke, 0.2f);
        await (changed switch
        {
            "model" => assistant.AskAsync("gpt-4o-mini", PoliteJoke, 0.2f, new CacheControl { Outcome = outcome }),
            "temperature" => assistant.AskAsync("gpt-4o", PoliteJoke, 0.9f, new CacheControl { Outcome = outcome }),
            _ => assistant.AskAsync("gpt-4o", PoliteJoke, 0.2f, new CacheControl { Outcome = outcome, Namespace = "tenant-b" }),
        });

        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Equal(2, assistant.Calls);
    }

    [Theory]
    [InlineData("nothing")]
    [InlineData("tools")]
    [InlineData("conversation")]
    [InlineData("temperature")]
    public async Task Chat_messages_embed_the_last_user_message_and_keep_the_rest_in_scope(string changed)
    {
        using LlmCacheRuntime runtime = Runtime();
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();
        ChatMessage system = new(ChatRole.System, "You are a comedian.");
        var options = new ChatOptions { ModelId = "gpt-4o", Temperature = 0.2f };

        ChatResponse first = await assistant.ChatAsync([system, new ChatMessage(ChatRole.User, Joke)], options);
        List<ChatMessage> messages = changed == "conversation"
            ? [system, new ChatMessage(ChatRole.User, "Hi!"), new ChatMessage(ChatRole.Assistant, "Hello."), new ChatMessage(ChatRole.User, PoliteJoke)]
            : [system, new ChatMessage(ChatRole.User, PoliteJoke)];
        ChatOptions second = changed switch
        {
            "tools" => new ChatOptions { ModelId = "gpt-4o", Temperature = 0.2f, Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather", Schema())] },
            "temperature" => new ChatOptions { ModelId = "gpt-4o", Temperature = 0.7f },
            _ => new ChatOptions { ModelId = "gpt-4o", Temperature = 0.2f },
        };
        ChatResponse answer = await assistant.ChatAsync(messages, second, new CacheControl { Outcome = outcome });

        if (changed == "nothing")
        {
            Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
            Assert.NotNull(outcome.Similarity);
            Assert.Equal(first.Text, answer.Text);
            Assert.Equal(1, assistant.Calls);
        }
        else
        {
            Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
            Assert.Equal(2, assistant.Calls);
        }
    }

    [Fact]
    public async Task A_near_miss_is_rejected_by_the_guard_without_logging_the_prompts_and_accepted_without_the_guard()
    {
        var logs = new RecordingLoggerFactory();
        using LlmCacheRuntime runtime = Runtime(o => o.LoggerFactory = logs);
        var assistant = new SemanticAssistant(runtime);
        var guarded = new CacheOutcome();
        var unguarded = new CacheOutcome();

        await assistant.AskAsync("gpt-4o", "What is 17 times 23?", 0f);
        await assistant.AskAsync("gpt-4o", "What is 17 times 24?", 0f, new CacheControl { Outcome = guarded });
        await assistant.AskUnguardedAsync("What is 17 times 23?");
        await assistant.AskUnguardedAsync("What is 17 times 24?", new CacheControl { Outcome = unguarded });

        Assert.Equal(CacheOutcomeStatus.Miss, guarded.Status);
        Assert.Equal(CacheOutcomeStatus.Hit, unguarded.Status);
        Assert.InRange(unguarded.Similarity!.Value, SemanticCacheOptions.DefaultSimilarityThreshold, 1.0);
        Assert.Equal(3, assistant.Calls);
        (int _, string message) = Assert.Single(logs.Events, e => e.EventId == 40);
        Assert.Contains(nameof(SemanticGuardRejection.Number), message, StringComparison.Ordinal);
        Assert.DoesNotContain("17", message, StringComparison.Ordinal);
        Assert.DoesNotContain("times", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_method_threshold_overrides_the_runtime_default_and_the_runtime_default_applies_otherwise()
    {
        using LlmCacheRuntime strictRuntime = Runtime(o => o.Semantic.SimilarityThreshold = 0.99);
        var strict = new SemanticAssistant(strictRuntime);
        await strict.AskAsync("gpt-4o", Joke, 0f);
        await strict.AskAsync("gpt-4o", PoliteJoke, 0f);

        using LlmCacheRuntime runtime = Runtime();
        var method = new SemanticAssistant(runtime);
        await method.AskStrictAsync(Joke);
        await method.AskStrictAsync(PoliteJoke);

        Assert.Equal(2, strict.Calls);
        Assert.Equal(2, method.Calls);
    }

    [Fact]
    public async Task The_exact_key_is_tried_before_anything_is_embedded_and_a_miss_embeds_once()
    {
        var generator = new CountingGenerator(model.Generator);
        using LlmCacheRuntime runtime = Runtime(o => o.Semantic.EmbeddingGenerator = generator);
        var assistant = new SemanticAssistant(runtime);

        await assistant.AskAsync("gpt-4o", Joke, 0f);
        int afterMiss = generator.Calls;
        await assistant.AskAsync("gpt-4o", Joke, 0f);
        int afterExactHit = generator.Calls;
        await assistant.AskAsync("gpt-4o", PoliteJoke, 0f);

        Assert.Equal(1, afterMiss);
        Assert.Equal(1, afterExactHit);
        Assert.Equal(2, generator.Calls);
        Assert.Equal(1, assistant.Calls);
    }

    [Fact]
    public void A_synchronous_method_is_semantic_too()
    {
        using LlmCacheRuntime runtime = Runtime();
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();

        string answer = assistant.Ask(Joke);
        string paraphrased = assistant.Ask(PoliteJoke, new CacheControl { Outcome = outcome });

        Assert.Equal(answer, paraphrased);
        Assert.NotNull(outcome.Similarity);
    }

    [Fact]
    public async Task A_removed_entry_is_a_miss_and_its_stale_record_is_dropped()
    {
        var index = new ExactVectorIndex();
        using LlmCacheRuntime runtime = Runtime(o => o.Semantic.Index = index);
        var assistant = new SemanticAssistant(runtime);
        var first = new CacheOutcome();
        var second = new CacheOutcome();

        await assistant.AskAsync("gpt-4o", Joke, 0f, new CacheControl { Outcome = first });
        Assert.True(await runtime.RemoveAsync(first.RemoteKey!));
        await assistant.AskAsync("gpt-4o", PoliteJoke, 0f, new CacheControl { Outcome = second });

        Assert.Equal(CacheOutcomeStatus.Miss, second.Status);
        Assert.Equal(2, assistant.Calls);

        // The stale record went and the new entry's came: one record, the paraphrase's.
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task An_expired_entry_is_a_miss_though_its_record_is_still_found()
    {
        // The index keeps the system clock, the stores this one: the record outlives its entry, as a stale one does.
        var clock = new ManualClock();
        var index = new ExactVectorIndex();
        using LlmCacheRuntime runtime = Runtime(o =>
        {
            o.TimeProvider = clock;
            o.Semantic.Index = index;
        });
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();

        await assistant.AskAsync("gpt-4o", Joke, 0f, new CacheControl { Ttl = TimeSpan.FromMinutes(1) });
        clock.Advance(TimeSpan.FromMinutes(2));
        await assistant.AskAsync("gpt-4o", PoliteJoke, 0f, new CacheControl { Outcome = outcome });

        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Equal(2, assistant.Calls);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task No_store_leaves_nothing_to_find_and_no_cache_asks_the_model()
    {
        var index = new ExactVectorIndex();
        using LlmCacheRuntime runtime = Runtime(o => o.Semantic.Index = index);
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();

        await assistant.AskAsync("gpt-4o", Joke, 0f, new CacheControl { NoStore = true });
        Assert.Equal(0, index.Count);
        await assistant.AskAsync("gpt-4o", Joke, 0f);
        await assistant.AskAsync("gpt-4o", PoliteJoke, 0f, new CacheControl { NoCache = true, Outcome = outcome });

        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Equal(3, assistant.Calls);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public async Task A_failing_embedding_generator_calls_the_model_and_caches_by_the_exact_key()
    {
        var generator = new CountingGenerator(model.Generator) { Fail = true };
        var logs = new RecordingLoggerFactory();
        using LlmCacheRuntime runtime = Runtime(o =>
        {
            o.Semantic.EmbeddingGenerator = generator;
            o.LoggerFactory = logs;
        });
        var assistant = new SemanticAssistant(runtime);
        var repeat = new CacheOutcome();

        string answer = await assistant.AskAsync("gpt-4o", Joke, 0f);
        string again = await assistant.AskAsync("gpt-4o", Joke, 0f, new CacheControl { Outcome = repeat });
        await assistant.AskAsync("gpt-4o", PoliteJoke, 0f);

        Assert.Equal(answer, again);
        Assert.True(repeat.IsHit);
        Assert.Equal(2, assistant.Calls);
        Assert.Contains(logs.Events, e => e.EventId == 41);
    }

    [Fact]
    public async Task A_semantic_type_without_an_embedding_generator_says_what_to_add()
    {
        using var runtime = new LlmCacheRuntime();
        var assistant = new SemanticAssistant(runtime);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await assistant.AskAsync("gpt-4o", Joke, 0f));

        Assert.Contains("LlmCacheOptions.Semantic.EmbeddingGenerator", error.Message, StringComparison.Ordinal);
        Assert.Contains("MiniLmEmbeddingGenerator", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, assistant.Calls);
    }

    [Fact]
    public async Task DualSemantic_finds_another_process_entry_in_the_shared_tier_and_fills_its_memory()
    {
        var shared = new SharedStandIns();
        using LlmCacheRuntime first = shared.CreateRuntime(model.Generator);
        using LlmCacheRuntime second = shared.CreateRuntime(model.Generator);
        var writer = new SemanticAssistant(first);
        var reader = new SemanticAssistant(second);
        var fromShared = new CacheOutcome();
        var fromMemory = new CacheOutcome();

        string answer = await writer.AskDualAsync(Joke);
        string found = await reader.AskDualAsync(PoliteJoke, new CacheControl { Outcome = fromShared });
        string again = await reader.AskDualAsync(PoliteJoke, new CacheControl { Outcome = fromMemory });

        Assert.Equal(answer, found);
        Assert.Equal(answer, again);
        Assert.Equal(0, reader.Calls);
        Assert.Equal("shared", fromShared.Tier);
        Assert.NotNull(fromShared.Similarity);
        Assert.Equal("memory", fromMemory.Tier);
        Assert.Null(fromMemory.Similarity);
    }

    [Fact]
    public async Task DualSemantic_answers_from_its_own_memory_first()
    {
        var shared = new SharedStandIns();
        using LlmCacheRuntime runtime = shared.CreateRuntime(model.Generator);
        var assistant = new SemanticAssistant(runtime);
        var outcome = new CacheOutcome();

        await assistant.AskDualAsync(Joke);
        await assistant.AskDualAsync(PoliteJoke, new CacheControl { Outcome = outcome });

        Assert.Equal("memory", outcome.Tier);
        Assert.NotNull(outcome.Similarity);
        Assert.Equal(1, assistant.Calls);
    }

    [Fact]
    public async Task RedisSemantic_finds_another_process_entry_and_drops_a_record_whose_entry_was_deleted()
    {
        var shared = new SharedStandIns();
        using LlmCacheRuntime first = shared.CreateRuntime(model.Generator);
        using LlmCacheRuntime second = shared.CreateRuntime(model.Generator);
        var writer = new SemanticAssistant(first);
        var reader = new SemanticAssistant(second);
        var written = new CacheOutcome();
        var found = new CacheOutcome();
        var afterDelete = new CacheOutcome();

        await writer.AskSharedAsync(Joke, new CacheControl { Outcome = written });
        await reader.AskSharedAsync(PoliteJoke, new CacheControl { Outcome = found });
        Assert.True(await first.RemoveAsync(written.RemoteKey!));
        await reader.AskSharedAsync("Please, tell me a joke!", new CacheControl { Outcome = afterDelete });

        Assert.Equal("shared", found.Tier);
        Assert.NotNull(found.Similarity);
        Assert.Equal(CacheOutcomeStatus.Miss, afterDelete.Status);
        Assert.Equal(1, reader.Calls);
        Assert.Equal(1, shared.Index.Count);
    }

    private LlmCacheRuntime Runtime(Action<LlmCacheOptions>? configure = null)
    {
        var options = new LlmCacheOptions();
        options.Semantic.EmbeddingGenerator = model.Generator;
        configure?.Invoke(options);
        return new LlmCacheRuntime(options);
    }

    private static System.Text.Json.JsonElement Schema() =>
        System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;
}
