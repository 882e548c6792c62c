using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>Microsoft.Extensions.AI requests as keys, through the generated key builder of <see cref="MeaiChatService"/>.</summary>
public sealed class MeaiKeyTests
{
    internal static byte[] KeyOf(IList<ChatMessage> messages, ChatOptions? options)
    {
        Span<byte> buffer = stackalloc byte[1024];
        var writer = new CacheKeyWriter(buffer, MeaiChatService.__LlmCache_ChatAsync.GetMaxKeySize(messages, options));
        try
        {
            MeaiChatService.__LlmCache_ChatAsync.WriteKey(ref writer, messages, options);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    internal static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    internal static List<ChatMessage> Conversation(string role = "user") =>
    [
        new(ChatRole.System, "You answer in one line."),
        new(new ChatRole(role), "What is the weather in Paris?"),
    ];

    internal static ChatOptions Options(
        string description = "Gets the weather",
        string schema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""",
        ChatToolMode? mode = null,
        string formatSchema = """{"type":"object","properties":{"answer":{"type":"string"}}}""",
        ReasoningEffort effort = ReasoningEffort.Low,
        int? extra = null)
    {
        var options = new ChatOptions
        {
            ModelId = "gpt-4o",
            Temperature = 0.2f,
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", description, Json(schema)), AIFunctionFactory.CreateDeclaration("get_time", "Gets the time", Json("""{"type":"object"}"""))],
            ToolMode = mode ?? ChatToolMode.Auto,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Json(formatSchema), "answer"),
            Reasoning = new ReasoningOptions { Effort = effort },
        };
        if (extra is { } value)
        {
            options.AdditionalProperties = new AdditionalPropertiesDictionary { ["service_tier"] = value };
        }

        return options;
    }

    [Fact]
    public void Identical_requests_built_separately_give_equal_keys()
    {
        Assert.Equal(KeyOf(Conversation(), Options(extra: 1)), KeyOf(Conversation(), Options(extra: 1)));
    }

    [Fact]
    public void Schema_properties_in_another_order_give_equal_keys()
    {
        ChatOptions reordered = Options(schema: """{"required":["city"],"properties":{"city":{"type":"string"}},"type":"object"}""");
        Assert.Equal(KeyOf(Conversation(), Options()), KeyOf(Conversation(), reordered));
    }

    public static TheoryData<string> Differences() =>
        ["tool description", "tool schema", "tool mode", "response format schema", "message role", "reasoning", "additional property"];

    [Theory]
    [MemberData(nameof(Differences))]
    public void Requests_differing_in_one_thing_give_different_keys(string difference)
    {
        byte[] baseline = KeyOf(Conversation(), Options(extra: 1));
        byte[] changed = difference switch
        {
            "tool description" => KeyOf(Conversation(), Options(description: "Gets the forecast", extra: 1)),
            "tool schema" => KeyOf(Conversation(), Options(schema: """{"type":"object","properties":{"town":{"type":"string"}},"required":["town"]}""", extra: 1)),
            "tool mode" => KeyOf(Conversation(), Options(mode: ChatToolMode.RequireSpecific("get_weather"), extra: 1)),
            "response format schema" => KeyOf(Conversation(), Options(formatSchema: """{"type":"object","properties":{"answer":{"type":"number"}}}""", extra: 1)),
            "message role" => KeyOf(Conversation("assistant"), Options(extra: 1)),
            "reasoning" => KeyOf(Conversation(), Options(effort: ReasoningEffort.High, extra: 1)),
            "additional property" => KeyOf(Conversation(), Options(extra: 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(difference)),
        };

        Assert.NotEqual(baseline, changed);
    }

    [Fact]
    public void A_JSON_string_with_escapes_keys_as_the_string_it_stands_for()
    {
        ChatOptions plain = Options(description: "d", schema: """{"description":"café"}""");
        ChatOptions escaped = Options(description: "d", schema: """{"descr\u0069ption":"caf\u00e9"}""");
        ChatOptions other = Options(description: "d", schema: """{"description":"cafe"}""");
        Assert.Equal(KeyOf(Conversation(), plain), KeyOf(Conversation(), escaped));
        Assert.NotEqual(KeyOf(Conversation(), plain), KeyOf(Conversation(), other));
    }

    internal static List<ChatMessage> ToolConversation(string firstId, string secondId, bool swapResults = false) =>
    [
        new(ChatRole.User, "Weather and time in Paris?"),
        new(ChatRole.Assistant,
        [
            new FunctionCallContent(firstId, "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
            new FunctionCallContent(secondId, "get_time", new Dictionary<string, object?> { ["city"] = "Paris", ["utc"] = true }),
        ]),
        new(ChatRole.Tool,
        [
            new FunctionResultContent(swapResults ? secondId : firstId, "18 C"),
            new FunctionResultContent(swapResults ? firstId : secondId, "14:00"),
        ]),
        new(ChatRole.User, "Thanks. And tomorrow?"),
    ];

    [Fact]
    public async Task A_tool_conversation_replayed_with_other_call_ids_hits_and_swapped_results_miss()
    {
        var service = new MeaiChatService(new LlmCacheRuntime());
        string first = await service.ChatAsync(ToolConversation("call_abc", "call_def"), Options());

        var replay = new CacheOutcome();
        string second = await service.ChatAsync(ToolConversation("call_123", "call_456"), Options(), new CacheControl { Outcome = replay });
        Assert.Equal(CacheOutcomeStatus.Hit, replay.Status);
        Assert.Equal(first, second);
        Assert.Equal(1, service.Calls);

        var swapped = new CacheOutcome();
        await service.ChatAsync(ToolConversation("call_123", "call_456", swapResults: true), Options(), new CacheControl { Outcome = swapped });
        Assert.Equal(CacheOutcomeStatus.Miss, swapped.Status);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void Function_call_arguments_are_keyed_in_key_order_and_by_value()
    {
        static List<ChatMessage> Call(Dictionary<string, object?> arguments) =>
            [new(ChatRole.Assistant, [new FunctionCallContent("c", "f", arguments)])];

        byte[] ab = KeyOf(Call(new() { ["a"] = 1, ["b"] = Json("""{"x":[1,2],"y":null}""") }), null);
        byte[] ba = KeyOf(Call(new() { ["b"] = Json("""{"y":null,"x":[1,2]}"""), ["a"] = 1 }), null);
        byte[] changed = KeyOf(Call(new() { ["a"] = 1, ["b"] = Json("""{"x":[2,1],"y":null}""") }), null);
        Assert.Equal(ab, ba);
        Assert.NotEqual(ab, changed);
    }

    private sealed class TaggedOptions : ChatOptions
    {
        public string? RequestId { get; set; }
    }

    [Fact]
    public async Task Options_of_a_derived_run_time_type_bypass_the_cache()
    {
        var service = new MeaiChatService(new LlmCacheRuntime());
        var outcome = new CacheOutcome();
        await service.ChatAsync(Conversation(), new TaggedOptions { RequestId = "r1" }, new CacheControl { Outcome = outcome });
        await service.ChatAsync(Conversation(), new TaggedOptions { RequestId = "r2" });
        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void An_unknown_content_type_is_keyed_by_its_JSON()
    {
        static List<ChatMessage> With(string text) =>
            [new(ChatRole.User, [new HostedVectorStoreContent(text)])];

        Assert.Equal(KeyOf(With("vs_1"), null), KeyOf(With("vs_1"), null));
        Assert.NotEqual(KeyOf(With("vs_1"), null), KeyOf(With("vs_2"), null));
    }
}
