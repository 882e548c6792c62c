using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.Tests;

/// <summary>The <c>UseLlmCache</c> middleware: the attribute's cache behind an <see cref="IChatClient"/> pipeline.</summary>
public sealed class MeaiMiddlewareTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly CountingChatClient _inner = new();

    public static TheoryData<string> Differences() => MeaiKeyTests.Differences();

    public static TheoryData<string> Routes() => ["properties", "explicit"];

    [Fact]
    public async Task A_miss_calls_the_inner_client_and_the_same_request_then_hits()
    {
        IChatClient client = Client(new LlmCacheRuntime());
        var first = new CacheOutcome();
        var second = new CacheOutcome();

        ChatResponse stored = await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options(extra: 1), new CacheControl { Outcome = first });
        ChatResponse hit = await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options(extra: 1), new CacheControl { Outcome = second });

        Assert.Equal(1, _inner.Calls);
        Assert.Equal(stored.Text, hit.Text);
        Assert.Equal(CacheOutcomeStatus.Miss, first.Status);
        Assert.Equal(CacheOutcomeStatus.Hit, second.Status);
        Assert.Equal("memory", second.Tier);
        Assert.Equal(first.Key, second.Key);
    }

    [Theory]
    [MemberData(nameof(Differences))]
    public async Task Requests_differing_in_one_thing_each_reach_the_inner_client(string difference)
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options(extra: 1));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options(extra: 1));
        Assert.Equal(1, _inner.Calls);

        (List<ChatMessage> messages, ChatOptions options) = difference switch
        {
            "tool description" => (MeaiKeyTests.Conversation(), MeaiKeyTests.Options(description: "Gets the forecast", extra: 1)),
            "tool schema" => (MeaiKeyTests.Conversation(), MeaiKeyTests.Options(schema: """{"type":"object","properties":{"town":{"type":"string"}},"required":["town"]}""", extra: 1)),
            "tool mode" => (MeaiKeyTests.Conversation(), MeaiKeyTests.Options(mode: ChatToolMode.RequireSpecific("get_weather"), extra: 1)),
            "response format schema" => (MeaiKeyTests.Conversation(), MeaiKeyTests.Options(formatSchema: """{"type":"object","properties":{"answer":{"type":"number"}}}""", extra: 1)),
            "message role" => (MeaiKeyTests.Conversation("assistant"), MeaiKeyTests.Options(extra: 1)),
            "reasoning" => (MeaiKeyTests.Conversation(), MeaiKeyTests.Options(effort: ReasoningEffort.High, extra: 1)),
            "additional property" => (MeaiKeyTests.Conversation(), MeaiKeyTests.Options(extra: 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(difference)),
        };
        await client.GetResponseAsync(messages, options);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_tool_conversation_replayed_with_new_call_ids_hits_and_swapped_results_miss()
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await client.GetResponseAsync(MeaiKeyTests.ToolConversation("call_a", "call_b"), MeaiKeyTests.Options());
        await client.GetResponseAsync(MeaiKeyTests.ToolConversation("call_x", "call_y"), MeaiKeyTests.Options());
        Assert.Equal(1, _inner.Calls);

        await client.GetResponseAsync(MeaiKeyTests.ToolConversation("call_a", "call_b", swapResults: true), MeaiKeyTests.Options());
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void Options_differing_only_in_a_control_property_give_equal_keys()
    {
        ChatOptions plain = MeaiKeyTests.Options(extra: 1);
        ChatOptions controlled = MeaiKeyTests.Options(extra: 1);
        controlled.AdditionalProperties![CacheControlProperties.NoStore] = true;
        controlled.AdditionalProperties[CacheControlProperties.Ttl] = TimeSpan.FromMinutes(5);
        ChatOptions onlyControls = new() { AdditionalProperties = new() { [CacheControlProperties.Namespace] = "tenant-1" } };

        Assert.Equal(MeaiKeyTests.KeyOf(MeaiKeyTests.Conversation(), plain), MeaiKeyTests.KeyOf(MeaiKeyTests.Conversation(), controlled));
        Assert.Equal(MeaiKeyTests.KeyOf(MeaiKeyTests.Conversation(), new ChatOptions()), MeaiKeyTests.KeyOf(MeaiKeyTests.Conversation(), onlyControls));
        Assert.Equal(MeaiKeyTests.KeyOf(MeaiKeyTests.Conversation(), plain), MeaiKeyTests.KeyOf(MeaiKeyTests.Conversation(), plain.WithCacheControl(CacheControl.Refresh)));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Controls_reach_neither_the_key_nor_the_inner_client_and_the_callers_options_stay_as_they_were(string route)
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options(extra: 1));
        var outcome = new CacheOutcome();
        ChatOptions options = MeaiKeyTests.Options(extra: 1);
        int before = options.AdditionalProperties!.Count;

        await Send(client, route, options, new CacheControl { Outcome = outcome, SMaxAge = TimeSpan.FromHours(1), Namespace = string.Empty });
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);

        await Send(client, route, options, new CacheControl { NoCache = true, Ttl = TimeSpan.FromMinutes(1) });
        Assert.Equal(2, _inner.Calls);
        ChatOptions forwarded = _inner.Received.Last()!;
        Assert.NotNull(forwarded.AdditionalProperties);
        Assert.Equal(1, Assert.Single(forwarded.AdditionalProperties!, p => p.Key == "service_tier").Value);
        Assert.DoesNotContain(forwarded.AdditionalProperties!, p => p.Key.StartsWith("llmcache.", StringComparison.Ordinal));
        Assert.Equal(options.ModelId, forwarded.ModelId);
        Assert.Equal(options.Tools!.Count, forwarded.Tools!.Count);
        Assert.Equal(before, options.AdditionalProperties.Count);
    }

    [Fact]
    public async Task Options_that_carry_only_controls_reach_the_inner_client_without_properties_and_share_the_entry_of_no_options()
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), options: null);
        var outcome = new CacheOutcome();

        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { AdditionalProperties = new() { [CacheControlProperties.Outcome] = outcome } });

        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { AdditionalProperties = new() { [CacheControlProperties.NoCache] = true } });
        Assert.Equal(2, _inner.Calls);
        Assert.Null(_inner.Received.Last()!.AdditionalProperties);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task No_cache_calls_the_inner_client_and_stores_its_answer(string route)
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());

        ChatResponse fresh = await Send(client, route, MeaiKeyTests.Options(), new CacheControl { NoCache = true });
        ChatResponse after = await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());

        Assert.Equal(2, _inner.Calls);
        Assert.Equal("answer #2", fresh.Text);
        Assert.Equal("answer #2", after.Text);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task No_store_keeps_nothing(string route)
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { NoStore = true });
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());

        Assert.Equal(2, _inner.Calls);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_per_call_ttl_expires_the_entry(string route)
    {
        IChatClient client = Client(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time }));
        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { Ttl = TimeSpan.FromSeconds(10) });
        _time.Advance(TimeSpan.FromSeconds(9));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        Assert.Equal(1, _inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_ttl_in_whole_seconds_and_the_clients_default_ttl_expire_entries()
    {
        IChatClient client = Client(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time }), o => o.Ttl = TimeSpan.FromSeconds(100));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { ModelId = "a", AdditionalProperties = new() { [CacheControlProperties.Ttl] = 10 } });
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { ModelId = "b" });
        _time.Advance(TimeSpan.FromSeconds(11));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { ModelId = "a" });
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { ModelId = "b" });
        Assert.Equal(3, _inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(90));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { ModelId = "b" });
        Assert.Equal(4, _inner.Calls);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task S_maxage_refuses_an_older_entry(string route)
    {
        IChatClient client = Client(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time }));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        _time.Advance(TimeSpan.FromSeconds(30));

        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { SMaxAge = TimeSpan.FromMinutes(1) });
        Assert.Equal(1, _inner.Calls);
        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { SMaxAge = TimeSpan.FromSeconds(10) });
        Assert.Equal(2, _inner.Calls);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_namespace_keeps_its_own_entries(string route)
    {
        IChatClient client = Client(new LlmCacheRuntime());
        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { Namespace = "tenant-a" });
        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { Namespace = "tenant-a" });
        Assert.Equal(1, _inner.Calls);

        await Send(client, route, MeaiKeyTests.Options(), new CacheControl { Namespace = "tenant-b" });
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public async Task An_unknown_control_name_or_a_wrongly_typed_value_fails_before_the_inner_client_is_called()
    {
        IChatClient client = Client(new LlmCacheRuntime());

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { AdditionalProperties = new() { ["llmcache.nocache"] = true } }));
        var wrong = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(MeaiKeyTests.Conversation(), new ChatOptions { AdditionalProperties = new() { [CacheControlProperties.NoStore] = "yes" } }));

        Assert.Contains("llmcache.nocache", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(CacheControlProperties.NoStore, wrong.Message, StringComparison.Ordinal);
        Assert.Equal(0, _inner.Calls);
    }

    [Fact]
    public async Task A_request_with_a_conversation_id_bypasses_the_cache_unless_the_client_opts_in()
    {
        var runtime = new LlmCacheRuntime();
        IChatClient client = Client(runtime);
        var outcome = new CacheOutcome();
        ChatOptions Conversation(string id) => new ChatOptions { ConversationId = id }.WithCacheControl(new CacheControl { Outcome = outcome });

        await client.GetResponseAsync(MeaiKeyTests.Conversation(), Conversation("conv_1"));
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), Conversation("conv_1"));
        Assert.Equal(2, _inner.Calls);
        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Null(_inner.Received.Last()!.AdditionalProperties);

        IChatClient optedIn = Client(runtime, o => o.CacheConversations = true);
        await optedIn.GetResponseAsync(MeaiKeyTests.Conversation(), Conversation("conv_1"));
        await optedIn.GetResponseAsync(MeaiKeyTests.Conversation(), Conversation("conv_1"));
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        await optedIn.GetResponseAsync(MeaiKeyTests.Conversation(), Conversation("conv_2"));
        Assert.Equal(4, _inner.Calls);
    }

    [Fact]
    public async Task Twenty_concurrent_identical_requests_make_one_inner_call()
    {
        var inner = new CountingChatClient(gated: true);
        IChatClient client = new LlmCachingChatClient(inner, new LlmCacheRuntime());
        int joined = 0;
        Task<ChatResponse>[] calls = Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
        {
            // A memory-only miss has joined the flight (or started it) when GetResponseAsync returns.
            Task<ChatResponse> call = client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
            Interlocked.Increment(ref joined);
            return call;
        })).ToArray();
        await WaitUntilAsync(() => Volatile.Read(ref joined) == calls.Length);
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        inner.Open();
        ChatResponse[] answers = await Task.WhenAll(calls);

        Assert.Equal(1, inner.Calls);
        Assert.All(answers, a => Assert.Equal("answer #1", a.Text));
    }

    [Fact]
    public async Task A_store_that_throws_fails_open_to_the_inner_client()
    {
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new FailingStore()));
        IChatClient client = Client(runtime, o => o.Type = CacheType.Custom);
        var outcome = new CacheOutcome();

        ChatResponse first = await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        ChatResponse second = await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options(), new CacheControl { Outcome = outcome });

        Assert.Equal("answer #1", first.Text);
        Assert.Equal("answer #2", second.Text);
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
    }

    [Fact]
    public async Task A_hit_through_the_disk_store_returns_a_response_equal_to_the_original()
    {
        string directory = Path.Combine(Path.GetTempPath(), "llmcache-mw-" + Guid.NewGuid().ToString("N"));
        try
        {
            ChatResponse original;
            using (var writer = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(directory)))
            {
                original = await Client(writer, o => o.Type = CacheType.Disk).GetResponseAsync(MeaiKeyTests.ToolConversation("call_a", "call_b"), MeaiKeyTests.Options());
            }

            using var reader = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(directory));
            var outcome = new CacheOutcome();
            ChatResponse replayed = await Client(reader, o => o.Type = CacheType.Disk)
                .GetResponseAsync(MeaiKeyTests.ToolConversation("call_x", "call_y"), MeaiKeyTests.Options(), new CacheControl { Outcome = outcome });

            Assert.Equal(1, _inner.Calls);
            Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
            Assert.Equal("disk", outcome.Tier);
            Assert.NotSame(original, replayed);
            Assert.Equal(original.Text, replayed.Text);
            Assert.Equal(original.ResponseId, replayed.ResponseId);
            Assert.Equal(original.ModelId, replayed.ModelId);
            Assert.Equal(original.FinishReason, replayed.FinishReason);
            Assert.Equal(original.CreatedAt, replayed.CreatedAt);
            Assert.Equal(original.Usage!.TotalTokenCount, replayed.Usage!.TotalTokenCount);
            Assert.Equal(original.Usage.CachedInputTokenCount, replayed.Usage.CachedInputTokenCount);
            Assert.Equal(original.Usage.ReasoningTokenCount, replayed.Usage.ReasoningTokenCount);
            ChatMessage message = Assert.Single(replayed.Messages);
            Assert.Equal(ChatRole.Assistant, message.Role);
            Assert.Equal("opaque-reasoning", Assert.IsType<TextReasoningContent>(message.Contents[0]).ProtectedData);
            FunctionCallContent call = Assert.IsType<FunctionCallContent>(message.Contents[2]);
            Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
            Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
            Assert.Equal("fp_1", replayed.AdditionalProperties!["system_fingerprint"]!.ToString());
            Assert.Equal(Json(original), Json(replayed));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_stream_is_cached_and_replayed_update_by_update_under_its_own_key()
    {
        IChatClient client = Client(new LlmCacheRuntime());
        var miss = new CacheOutcome();
        var hit = new CacheOutcome();
        List<ChatResponseUpdate> first = await ToListAsync(client.GetStreamingResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options().WithCacheControl(new CacheControl { Outcome = miss })));
        List<ChatResponseUpdate> second = await ToListAsync(client.GetStreamingResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options().WithCacheControl(new CacheControl { Outcome = hit })));
        ChatResponse answer = await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());

        Assert.Equal((CacheOutcomeStatus.Miss, CacheOutcomeStatus.Hit), (miss.Status, hit.Status));
        Assert.Equal(1, _inner.Streams);
        Assert.Equal(first.Select(u => u.Text), second.Select(u => u.Text));
        Assert.Equal("stream #1", string.Concat(second.Select(u => u.Text)));

        // A streamed answer and a whole one are different entries.
        Assert.Equal(1, _inner.Calls);
        Assert.Equal("answer #1", answer.Messages[0].Contents.OfType<TextContent>().Single().Text);
    }

    [Fact]
    public async Task Each_hit_is_the_callers_own_copy_unless_the_client_shares_results()
    {
        IChatClient copying = Client(new LlmCacheRuntime());
        ChatResponse a = await copying.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        ChatResponse b = await copying.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        a.Messages.Add(new ChatMessage(ChatRole.User, "and tomorrow?"));
        ChatResponse c = await copying.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        Assert.NotSame(a, b);
        Assert.NotSame(b.Messages[0], c.Messages[0]);
        Assert.Single(c.Messages);

        IChatClient sharing = new LlmCachingChatClient(new CountingChatClient(), new LlmCacheRuntime(), new LlmCachingChatClientOptions { ShareResult = true });
        ChatResponse d = await sharing.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        Assert.Same(d, await sharing.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options()));
    }

    private static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }

    [Fact]
    public async Task A_refreshed_stream_reaches_the_inner_client_each_time_without_the_controls()
    {
        IChatClient client = Client(new LlmCacheRuntime());
        ChatOptions options = MeaiKeyTests.Options().WithCacheControl(CacheControl.Refresh);

        ChatResponse first = await client.GetStreamingResponseAsync(MeaiKeyTests.Conversation(), options).ToChatResponseAsync();
        ChatResponse second = await client.GetStreamingResponseAsync(MeaiKeyTests.Conversation(), options).ToChatResponseAsync();

        Assert.Equal(("stream #1", "stream #2"), (first.Text, second.Text));
        Assert.Null(_inner.Received.Last()!.AdditionalProperties);
    }

    [Fact]
    public async Task AddChatClient_UseLlmCache_caches_in_the_runtime_that_AddLlmCache_registers()
    {
        var services = new ServiceCollection();
        services.AddLlmCache(o => o.Namespace = "middleware-di");
        services.AddChatClient(_inner).UseLlmCache(o => o.KeyVersion = 2);
        await using ServiceProvider provider = services.BuildServiceProvider();

        IChatClient client = provider.GetRequiredService<IChatClient>();
        await client.GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());
        await provider.GetRequiredService<IChatClient>().GetResponseAsync(MeaiKeyTests.Conversation(), MeaiKeyTests.Options());

        Assert.Equal(1, _inner.Calls);
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        Assert.Same(runtime, client.GetService<LlmCachingChatClient>()!.Runtime);
        Assert.Equal(1, runtime.MemoryStore.Count);
    }

    [Fact]
    public void A_pipeline_without_a_registered_runtime_caches_in_the_shared_one_or_the_one_it_is_given()
    {
        using var own = new LlmCacheRuntime();
        IChatClient shared = new ChatClientBuilder(_inner).UseLlmCache().Build();
        IChatClient given = new ChatClientBuilder(_inner).UseLlmCache(own).Build();

        Assert.Same(LlmCacheRuntime.Shared, shared.GetService<LlmCachingChatClient>()!.Runtime);
        Assert.Same(own, given.GetService<LlmCachingChatClient>()!.Runtime);
    }

    private static string Json(ChatResponse response) => JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition did not hold within 5 s");
    }

    private IChatClient Client(LlmCacheRuntime runtime, Action<LlmCachingChatClientOptions>? configure = null)
    {
        var options = new LlmCachingChatClientOptions();
        configure?.Invoke(options);
        return new LlmCachingChatClient(_inner, runtime, options);
    }

    /// <summary>Sends the test conversation with <paramref name="control"/>, as single properties or through the explicit overload.</summary>
    private static Task<ChatResponse> Send(IChatClient client, string route, ChatOptions options, CacheControl control)
    {
        if (route == "explicit")
        {
            return client.GetResponseAsync(MeaiKeyTests.Conversation(), options, control);
        }

        ChatOptions copy = options.Clone();
        copy.AdditionalProperties = copy.AdditionalProperties is { } existing ? new AdditionalPropertiesDictionary(existing) : new AdditionalPropertiesDictionary();
        AdditionalPropertiesDictionary properties = copy.AdditionalProperties;
        if (control.NoCache)
        {
            properties[CacheControlProperties.NoCache] = true;
        }

        if (control.NoStore)
        {
            properties[CacheControlProperties.NoStore] = true;
        }

        if (control.Ttl is { } ttl)
        {
            properties[CacheControlProperties.Ttl] = ttl;
        }

        if (control.SMaxAge is { } maxAge)
        {
            properties[CacheControlProperties.SMaxAge] = maxAge;
        }

        if (control.Namespace is { } @namespace)
        {
            properties[CacheControlProperties.Namespace] = @namespace;
        }

        if (control.Outcome is { } outcome)
        {
            properties[CacheControlProperties.Outcome] = outcome;
        }

        return client.GetResponseAsync(MeaiKeyTests.Conversation(), copy);
    }
}
