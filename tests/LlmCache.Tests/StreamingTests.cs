using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// Cached streams: passed through live, stored only when complete, replayed update by update (from memory and
/// from disk), one upstream per cold key for concurrent callers, nothing stored after a failure or cancellation.
/// </summary>
public sealed class StreamingTests : IDisposable
{
    private static readonly JsonTypeInfo UpdateJson = AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponseUpdate));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly IList<ChatMessage> Question = [new(ChatRole.User, "What is the weather in Paris?")];

    private readonly string _directory = Directory.CreateTempSubdirectory("llmcache-stream-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Text, reasoning, a tool call and usage, in several updates with ids, model and finish reason.</summary>
    private static ChatResponseUpdate[] Script() =>
    [
        new(ChatRole.Assistant, [new TextReasoningContent("The user wants the weather.")]) { ModelId = "model-1", ResponseId = "resp-1", MessageId = "msg-1" },
        new(ChatRole.Assistant, "Let me check") { ResponseId = "resp-1", MessageId = "msg-1" },
        new(ChatRole.Assistant, " the forecast.") { ResponseId = "resp-1", MessageId = "msg-1" },
        new(ChatRole.Assistant, [new FunctionCallContent("call_7", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 2 })]) { ResponseId = "resp-1" },
        new(null, [new UsageContent(new UsageDetails { InputTokenCount = 12, OutputTokenCount = 34, TotalTokenCount = 46 })])
        {
            ResponseId = "resp-1",
            FinishReason = ChatFinishReason.ToolCalls,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["provider.trace"] = "t-1" },
        },
    ];

    [Fact]
    public async Task A_replayed_stream_equals_the_original_update_for_update_from_memory()
    {
        ChatResponseUpdate[] script = Script();
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(script);
        upstream.ReleaseAll();
        var service = new StreamingChatService(new LlmCacheRuntime(), upstream);
        var first = new CacheOutcome();
        var second = new CacheOutcome();

        List<ChatResponseUpdate> original = await ReadAllAsync(service.StreamAsync(Question, new CacheControl { Outcome = first }));
        List<ChatResponseUpdate> replayed = await ReadAllAsync(service.StreamAsync(Question, new CacheControl { Outcome = second }));

        Assert.Equal(1, upstream.Started);
        Assert.Equal((CacheOutcomeStatus.Miss, CacheOutcomeStatus.Hit, "memory"), (first.Status, second.Status, second.Tier));
        Assert.Equal(Json(script), Json(original));
        Assert.Equal(Json(script), Json(replayed));
        AssertEverythingIsThere(replayed);
    }

    [Fact]
    public async Task A_replayed_stream_equals_the_original_update_for_update_through_the_disk_store()
    {
        ChatResponseUpdate[] script = Script();
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(script);
        upstream.ReleaseAll();
        var writer = new StreamingChatService(new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory)), upstream);
        await ReadAllAsync(writer.StreamOnDiskAsync(Question));

        // Another runtime over the same directory has only what the disk holds.
        var reader = new StreamingChatService(new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory)), upstream);
        var outcome = new CacheOutcome();
        List<ChatResponseUpdate> replayed = await ReadAllAsync(reader.StreamOnDiskAsync(Question, new CacheControl { Outcome = outcome }));

        Assert.Equal(1, upstream.Started);
        Assert.Equal((CacheOutcomeStatus.Hit, "disk"), (outcome.Status, outcome.Tier));
        Assert.Equal(Json(script), Json(replayed));
        AssertEverythingIsThere(replayed);
    }

    [Fact]
    public async Task A_stream_of_strings_is_replayed_word_for_word_through_the_disk_store()
    {
        string[] script = ["Hello", ", ", "wörld", "", " \"quoted\"\n"];
        var words = new ScriptedUpstream<string>(script);
        words.ReleaseAll();
        var options = new LlmCacheOptions().UseDisk(_directory);
        var writer = new StreamingChatService(new LlmCacheRuntime(options), new ScriptedUpstream<ChatResponseUpdate>([]), words);
        List<string> original = await ReadAllAsync(writer.WordsOnDiskAsync("greet"));

        var reader = new StreamingChatService(new LlmCacheRuntime(options), new ScriptedUpstream<ChatResponseUpdate>([]), words);
        var outcome = new CacheOutcome();
        List<string> replayed = await ReadAllAsync(reader.WordsOnDiskAsync("greet", new CacheControl { Outcome = outcome }));

        Assert.Equal(1, words.Started);
        Assert.Equal("disk", outcome.Tier);
        Assert.Equal(script, original);
        Assert.Equal(script, replayed);
    }

    [Fact]
    public void The_string_stream_format_is_a_json_array_of_the_updates()
    {
        byte[] payload = CacheStreamSerializer.String.Serialize(["a", "b\"c"]);

        Assert.Equal("[\"a\",\"b\\u0022c\"]", Encoding.UTF8.GetString(payload));
        Assert.Equal(["a", "b\"c"], CacheStreamSerializer.String.Deserialize("[\"a\",\"b\\u0022c\"]"u8));
        Assert.ThrowsAny<JsonException>(() => CacheStreamSerializer.String.Deserialize("[\"a\","u8));
    }

    [Fact]
    public async Task The_first_update_of_a_cold_stream_reaches_the_caller_before_the_upstream_finishes()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        var runtime = new LlmCacheRuntime();
        var service = new StreamingChatService(runtime, upstream);

        await using IAsyncEnumerator<ChatResponseUpdate> reader = service.StreamAsync(Question).GetAsyncEnumerator();
        upstream.Release(1);
        // Bounded, so that a stream held back until the upstream finishes fails the test rather than hanging it.
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(Patience));

        // The upstream has sent one update and is held at the second: the caller has the first one already.
        Assert.Equal("The user wants the weather.", ((TextReasoningContent)reader.Current.Contents[0]).Text);
        Assert.Equal((1, 0), (upstream.Sent, upstream.Completed));
        Assert.Equal(0, runtime.MemoryStore.Count);

        upstream.ReleaseAll();
        int count = 1;
        while (await reader.MoveNextAsync())
        {
            count++;
        }

        Assert.Equal(Script().Length, count);
        Assert.Equal(1, runtime.MemoryStore.Count);
    }

    [Fact]
    public async Task A_stream_cancelled_half_way_stores_nothing_and_cancels_the_upstream()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory));
        var service = new StreamingChatService(runtime, upstream);
        using var cancel = new CancellationTokenSource();
        var received = new List<ChatResponseUpdate>();

        upstream.Release(2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in service.StreamOnDiskAsync(Question, cancellationToken: cancel.Token))
            {
                received.Add(update);
                if (received.Count == 2)
                {
                    cancel.Cancel();
                }
            }
        });

        Assert.Equal(2, received.Count);
        await WaitUntilAsync(() => upstream.Tokens.Single().IsCancellationRequested && runtime.StreamsInFlightCount == 0);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));

        // Nothing was stored: the next call streams from the upstream again.
        upstream.ReleaseAll();
        var outcome = new CacheOutcome();
        Assert.Equal(Script().Length, (await ReadAllAsync(service.StreamOnDiskAsync(Question, new CacheControl { Outcome = outcome }))).Count);
        Assert.Equal((2, CacheOutcomeStatus.Miss), (upstream.Started, outcome.Status));
    }

    [Fact]
    public async Task A_token_passed_through_WithCancellation_cancels_the_stream_too()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        var runtime = new LlmCacheRuntime();
        var service = new StreamingChatService(runtime, upstream);
        using var cancel = new CancellationTokenSource();

        upstream.Release(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in service.StreamAsync(Question).WithCancellation(cancel.Token))
            {
                cancel.Cancel();
            }
        });

        await WaitUntilAsync(() => upstream.Tokens.Single().IsCancellationRequested && runtime.StreamsInFlightCount == 0);
        Assert.Equal(0, runtime.MemoryStore.Count);

        // A replay from memory honours it as well.
        upstream.ReleaseAll();
        await ReadAllAsync(service.StreamAsync(Question));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in service.StreamAsync(Question).WithCancellation(cancel.Token))
            {
            }
        });
    }

    [Fact]
    public async Task A_stream_that_fails_half_way_stores_nothing_and_the_caller_sees_the_failure()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script(), failAt: 3);
        upstream.ReleaseAll();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory));
        var service = new StreamingChatService(runtime, upstream);
        var received = new List<ChatResponseUpdate>();

        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (ChatResponseUpdate update in service.StreamOnDiskAsync(Question))
            {
                received.Add(update);
            }
        });

        Assert.Equal("The upstream failed half way.", failure.Message);
        Assert.Equal(3, received.Count);
        Assert.Equal(0, runtime.StreamsInFlightCount);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(service.StreamOnDiskAsync(Question)));
        Assert.Equal(2, upstream.Started);
    }

    [Fact]
    public async Task Fifty_concurrent_callers_of_a_cold_key_share_one_upstream_and_all_see_every_update()
    {
        ChatResponseUpdate[] script = Script();
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(script);
        var runtime = new LlmCacheRuntime();
        var service = new StreamingChatService(runtime, upstream);
        var outcomes = Enumerable.Range(0, 50).Select(_ => new CacheOutcome()).ToArray();

        Task<List<ChatResponseUpdate>>[] early = Enumerable.Range(0, 25)
            .Select(i => Task.Run(() => ReadAllAsync(service.StreamAsync(Question, new CacheControl { Outcome = outcomes[i] }))))
            .ToArray();
        upstream.Release(2);
        await WaitUntilAsync(() => upstream.Sent == 2);

        // These come while the stream is half way: they replay the first two updates, then follow live.
        Task<List<ChatResponseUpdate>>[] late = Enumerable.Range(25, 25)
            .Select(i => Task.Run(() => ReadAllAsync(service.StreamAsync(Question, new CacheControl { Outcome = outcomes[i] }))))
            .ToArray();
        await WaitUntilAsync(() => outcomes.All(o => o.Status != CacheOutcomeStatus.None));
        upstream.ReleaseAll();
        List<ChatResponseUpdate>[] results = await Task.WhenAll(early.Concat(late)).WaitAsync(Patience);

        Assert.Equal(1, upstream.Started);
        Assert.All(results, updates => Assert.Equal(Json(script), Json(updates)));
        Assert.All(outcomes, o => Assert.Equal(CacheOutcomeStatus.Miss, o.Status));
        Assert.Equal(0, runtime.StreamsInFlightCount);
        Assert.Equal(1, runtime.MemoryStore.Count);
    }

    [Fact]
    public async Task A_caller_that_stops_early_leaves_the_shared_upstream_running_for_the_others()
    {
        ChatResponseUpdate[] script = Script();
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(script);
        var runtime = new LlmCacheRuntime();
        var service = new StreamingChatService(runtime, upstream);

        IAsyncEnumerator<ChatResponseUpdate> quitter = service.StreamAsync(Question).GetAsyncEnumerator();
        upstream.Release(1);
        Assert.True(await quitter.MoveNextAsync().AsTask().WaitAsync(Patience));
        var stayerOutcome = new CacheOutcome();
        Task<List<ChatResponseUpdate>> stayer = ReadAllAsync(service.StreamAsync(Question, new CacheControl { Outcome = stayerOutcome }));
        await WaitUntilAsync(() => stayerOutcome.Status != CacheOutcomeStatus.None);
        await quitter.DisposeAsync();

        Assert.False(upstream.Tokens.Single().IsCancellationRequested, "The shared upstream was cancelled while a caller remained.");
        upstream.ReleaseAll();
        Assert.Equal(Json(script), Json(await stayer));
        Assert.Equal((1, 1), (upstream.Started, runtime.MemoryStore.Count));
    }

    [Fact]
    public async Task When_every_caller_has_left_the_upstream_is_cancelled_and_the_next_callers_share_a_fresh_one()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        var runtime = new LlmCacheRuntime();
        var service = new StreamingChatService(runtime, upstream);

        await using (IAsyncEnumerator<ChatResponseUpdate> only = service.StreamAsync(Question).GetAsyncEnumerator())
        {
            upstream.Release(1);
            Assert.True(await only.MoveNextAsync().AsTask().WaitAsync(Patience));
        }

        await WaitUntilAsync(() => upstream.Tokens.Single().IsCancellationRequested && runtime.StreamsInFlightCount == 0);
        Assert.Equal(0, runtime.MemoryStore.Count);

        Task<List<ChatResponseUpdate>>[] next = Enumerable.Range(0, 5).Select(_ => ReadAllAsync(service.StreamAsync(Question))).ToArray();
        await WaitUntilAsync(() => upstream.Started == 2);
        upstream.ReleaseAll();
        await Task.WhenAll(next);
        Assert.Equal(2, upstream.Started);
    }

    [Fact]
    public async Task Controls_apply_to_streams_as_to_values()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        upstream.ReleaseAll();
        var runtime = new LlmCacheRuntime();
        var service = new StreamingChatService(runtime, upstream);

        await ReadAllAsync(service.StreamAsync(Question, new CacheControl { NoStore = true }));
        await ReadAllAsync(service.StreamAsync(Question, new CacheControl { Ttl = TimeSpan.Zero }));
        Assert.Equal((2, 0), (upstream.Started, runtime.MemoryStore.Count));

        await ReadAllAsync(service.StreamAsync(Question));
        var fresh = new CacheOutcome();
        await ReadAllAsync(service.StreamAsync(Question, new CacheControl { NoCache = true, Outcome = fresh }));
        Assert.Equal((4, CacheOutcomeStatus.Miss), (upstream.Started, fresh.Status));

        var bypassed = new CacheOutcome();
        await ReadAllAsync(service.StreamAsync(Question, new CacheControl { NoCache = true, NoStore = true, Outcome = bypassed }));
        Assert.Equal((5, CacheOutcomeStatus.Bypassed), (upstream.Started, bypassed.Status));

        var hit = new CacheOutcome();
        await ReadAllAsync(service.StreamAsync(Question, new CacheControl { SMaxAge = TimeSpan.FromHours(1), Outcome = hit }));
        Assert.Equal((5, CacheOutcomeStatus.Hit), (upstream.Started, hit.Status));
    }

    [Fact]
    public async Task The_runtime_api_serves_a_hand_written_caller_from_every_tier()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        upstream.ReleaseAll();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory));
        var method = new CachedMethod<IReadOnlyList<ChatResponseUpdate>>(
            "LlmCache.Tests.Middleware.Stream()->IAsyncEnumerable<ChatResponseUpdate>#v0", CacheType.Disk, 0, null,
            CacheStreamSerializer.Json<ChatResponseUpdate>(AIJsonUtilities.DefaultOptions)) { Kind = CallKind.StreamingChat };
        var writer = new CacheKeyWriter(stackalloc byte[256]);
        runtime.WriteKeyHeader(ref writer, method, default);
        writer.WriteString("the request");
        byte[] key = writer.WrittenSpan.ToArray();
        writer.Dispose();
        CacheKeyHash hash = CacheKeyDigests.ComputeInProcess(key);

        var outcomes = new[] { new CacheOutcome(), new CacheOutcome() };
        foreach (CacheOutcome outcome in outcomes)
        {
            List<ChatResponseUpdate> updates = await ReadAllAsync(runtime.GetOrCreateStreamAsync(
                method, new CacheControl { Outcome = outcome }, key, hash, upstream, static (u, ct) => u.RunAsync(ct)));
            Assert.Equal(Json(Script()), Json(updates));
        }

        Assert.Equal(1, upstream.Started);
        Assert.Equal((CacheOutcomeStatus.Miss, "disk"), (outcomes[0].Status, outcomes[1].Tier));
    }

    private static void AssertEverythingIsThere(List<ChatResponseUpdate> replayed)
    {
        Assert.Equal(5, replayed.Count);
        Assert.Equal("The user wants the weather.", Assert.IsType<TextReasoningContent>(Assert.Single(replayed[0].Contents)).Text);
        Assert.Equal(("model-1", "resp-1"), (replayed[0].ModelId, replayed[0].ResponseId));
        Assert.Equal("Let me check the forecast.", replayed[1].Text + replayed[2].Text);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(replayed[3].Contents));
        Assert.Equal(("call_7", "get_weather", "Paris"), (call.CallId, call.Name, call.Arguments!["city"]?.ToString()));
        UsageContent usage = Assert.IsType<UsageContent>(Assert.Single(replayed[4].Contents));
        Assert.Equal((12L, 34L, 46L), (usage.Details.InputTokenCount, usage.Details.OutputTokenCount, usage.Details.TotalTokenCount));
        Assert.Equal(ChatFinishReason.ToolCalls, replayed[4].FinishReason);
    }

    internal static string[] Json(IEnumerable<ChatResponseUpdate> updates) => updates.Select(u => JsonSerializer.Serialize(u, UpdateJson)).ToArray();

    internal static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> stream)
    {
        var updates = new List<T>();
        await foreach (T update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition did not hold within 30 s");
    }
}
