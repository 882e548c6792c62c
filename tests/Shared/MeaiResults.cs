using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Xunit;

namespace LlmCache.SharedTests;

/// <summary>Microsoft.Extensions.AI results with every member a provider fills in, for the result tests.</summary>
public static class MeaiSamples
{
    private static readonly DateTimeOffset Created = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <summary>A tool-calling answer: reasoning, a call with arguments, its result, the final text, usage and metadata.</summary>
    public static ChatResponse ChatResponse(string text = "It is sunny in Paris.") =>
        new(
        [
            new ChatMessage(ChatRole.Assistant,
            [
                new TextReasoningContent("The user wants the weather; call the tool.") { ProtectedData = "opaque-reasoning-blob" },
                new FunctionCallContent("call_7Hq", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3 }),
            ])
            {
                AuthorName = "assistant-1",
                MessageId = "msg_1",
                CreatedAt = Created,
            },
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_7Hq", "sunny, 21 °C")]) { MessageId = "msg_2" },
            new ChatMessage(ChatRole.Assistant, [new TextContent(text) { AdditionalProperties = new() { ["logprob"] = -0.25 } }])
            {
                MessageId = "msg_3",
                AdditionalProperties = new() { ["refusal"] = null, ["index"] = 0 },
            },
        ])
        {
            ResponseId = "resp_abc",
            ConversationId = null,
            ModelId = "gpt-test-2026",
            CreatedAt = Created,
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage(),
            AdditionalProperties = new() { ["system_fingerprint"] = "fp_42", ["service_tier"] = "default" },
        };

    public static Embedding<float> Embedding(float seed = 0.5f) =>
        new(new[] { seed, -seed, seed * 2, 0.125f })
        {
            ModelId = "embed-test",
            CreatedAt = Created,
            AdditionalProperties = new() { ["index"] = 0 },
        };

    public static GeneratedEmbeddings<Embedding<float>> Embeddings() =>
        new([Embedding(0.5f), Embedding(1.5f)])
        {
            Usage = Usage(),
            AdditionalProperties = new() { ["object"] = "list" },
        };

    public static SpeechToTextResponse Transcription() =>
        new([new TextContent("hello from the audio")])
        {
            ResponseId = "tr_1",
            ModelId = "whisper-test",
            StartTime = TimeSpan.FromSeconds(0.5),
            EndTime = TimeSpan.FromSeconds(3.25),
            Usage = Usage(),
            AdditionalProperties = new() { ["language"] = "en" },
        };

    private static UsageDetails Usage() => new()
    {
        InputTokenCount = 120,
        OutputTokenCount = 45,
        TotalTokenCount = 165,
        CachedInputTokenCount = 20,
        ReasoningTokenCount = 12,
        AdditionalCounts = new() { ["prediction_tokens"] = 3 },
    };
}

/// <summary>
/// Member-by-member equality of Microsoft.Extensions.AI results. Values typed <c>object</c> (arguments, tool
/// results, additional properties) are compared by their JSON: through a store they come back as
/// <see cref="JsonElement"/>s, equal in JSON to the values that went in (docs/results.md).
/// </summary>
public static class MeaiAssert
{
    public static void Equal(ChatResponse expected, ChatResponse actual)
    {
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.ResponseId, actual.ResponseId);
        Assert.Equal(expected.ConversationId, actual.ConversationId);
        Assert.Equal(expected.ModelId, actual.ModelId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        Equal(expected.Usage, actual.Usage);
        Equal(expected.AdditionalProperties, actual.AdditionalProperties);
        Assert.Equal(expected.Messages.Count, actual.Messages.Count);
        for (int i = 0; i < expected.Messages.Count; i++)
        {
            Equal(expected.Messages[i], actual.Messages[i]);
        }
    }

    public static void Equal(ChatMessage expected, ChatMessage actual)
    {
        Assert.Equal(expected.Role, actual.Role);
        Assert.Equal(expected.AuthorName, actual.AuthorName);
        Assert.Equal(expected.MessageId, actual.MessageId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.Text, actual.Text);
        Equal(expected.AdditionalProperties, actual.AdditionalProperties);
        Equal(expected.Contents, actual.Contents);
    }

    public static void Equal(IList<AIContent> expected, IList<AIContent> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i]);
        }
    }

    public static void Equal(AIContent expected, AIContent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Equal(expected.AdditionalProperties, actual.AdditionalProperties);
        switch (expected)
        {
            case TextContent text:
                Assert.Equal(text.Text, ((TextContent)actual).Text);
                break;
            case TextReasoningContent reasoning:
                Assert.Equal(reasoning.Text, ((TextReasoningContent)actual).Text);
                Assert.Equal(reasoning.ProtectedData, ((TextReasoningContent)actual).ProtectedData);
                break;
            case FunctionCallContent call:
                var actualCall = (FunctionCallContent)actual;
                Assert.Equal(call.CallId, actualCall.CallId);
                Assert.Equal(call.Name, actualCall.Name);
                Assert.Equal(call.InformationalOnly, actualCall.InformationalOnly);
                Assert.Equal(call.Arguments is null, actualCall.Arguments is null);
                Assert.Equal(call.Arguments?.Keys.Order(), actualCall.Arguments?.Keys.Order());
                foreach (KeyValuePair<string, object?> argument in call.Arguments ?? new Dictionary<string, object?>())
                {
                    JsonEqual(argument.Value, actualCall.Arguments![argument.Key]);
                }

                break;
            case FunctionResultContent result:
                Assert.Equal(result.CallId, ((FunctionResultContent)actual).CallId);
                JsonEqual(result.Result, ((FunctionResultContent)actual).Result);
                break;
            default:
                JsonEqual(expected, actual);
                break;
        }
    }

    public static void Equal(UsageDetails? expected, UsageDetails? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is null)
        {
            return;
        }

        Assert.Equal(expected.InputTokenCount, actual!.InputTokenCount);
        Assert.Equal(expected.OutputTokenCount, actual.OutputTokenCount);
        Assert.Equal(expected.TotalTokenCount, actual.TotalTokenCount);
        Assert.Equal(expected.CachedInputTokenCount, actual.CachedInputTokenCount);
        Assert.Equal(expected.ReasoningTokenCount, actual.ReasoningTokenCount);
        Assert.Equal(expected.AdditionalCounts?.OrderBy(c => c.Key, StringComparer.Ordinal), actual.AdditionalCounts?.OrderBy(c => c.Key, StringComparer.Ordinal));
    }

    public static void Equal(Embedding<float> expected, Embedding<float> actual)
    {
        Assert.Equal(expected.Vector.ToArray(), actual.Vector.ToArray());
        Assert.Equal(expected.ModelId, actual.ModelId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Equal(expected.AdditionalProperties, actual.AdditionalProperties);
    }

    public static void Equal(GeneratedEmbeddings<Embedding<float>> expected, GeneratedEmbeddings<Embedding<float>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i]);
        }

        Equal(expected.Usage, actual.Usage);
        Equal(expected.AdditionalProperties, actual.AdditionalProperties);
    }

    public static void Equal(SpeechToTextResponse expected, SpeechToTextResponse actual)
    {
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.ResponseId, actual.ResponseId);
        Assert.Equal(expected.ModelId, actual.ModelId);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.EndTime, actual.EndTime);
        Equal(expected.Usage, actual.Usage);
        Equal(expected.AdditionalProperties, actual.AdditionalProperties);
        Equal(expected.Contents, actual.Contents);
    }

    public static void Equal(AdditionalPropertiesDictionary? expected, AdditionalPropertiesDictionary? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is null)
        {
            return;
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual!.Keys.Order(StringComparer.Ordinal));
        foreach (KeyValuePair<string, object?> property in expected)
        {
            JsonEqual(property.Value, actual[property.Key]);
        }
    }

    /// <summary>Equal as JSON through Microsoft.Extensions.AI's own options, the form a store keeps.</summary>
    public static void JsonEqual(object? expected, object? actual)
    {
        JsonElement left = JsonSerializer.SerializeToElement(expected, AIJsonUtilities.DefaultOptions.GetTypeInfo(expected?.GetType() ?? typeof(object)));
        JsonElement right = JsonSerializer.SerializeToElement(actual, AIJsonUtilities.DefaultOptions.GetTypeInfo(actual?.GetType() ?? typeof(object)));
        Assert.True(JsonElement.DeepEquals(left, right), $"expected {left.GetRawText()}, got {right.GetRawText()}");
    }
}

/// <summary>The result round trip every store must pass: stored by one runtime, read back by another, equal.</summary>
public static class MeaiRoundTrip
{
    /// <summary>
    /// Calls each cached method once through <paramref name="writer"/>, then through <paramref name="reader"/> (another
    /// process, as far as memory goes), and checks the reader's answers are hits from <paramref name="tier"/> equal to the originals.
    /// </summary>
    public static async System.Threading.Tasks.Task RunAsync(LlmCacheRuntime writer, LlmCacheRuntime reader, string tier)
    {
        var first = new MeaiResultService(writer);
        var second = new MeaiResultService(reader);
        byte[] audio = [1, 2, 3, 4, 5];
        await first.ChatAsync("weather?");
        await first.EmbedAsync("hello");
        await first.EmbedBatchAsync("hello world");
        await first.TranscribeAsync(audio);
        Assert.Equal(4, first.Calls);

        CacheOutcome[] outcomes = [new(), new(), new(), new()];
        MeaiAssert.Equal(MeaiSamples.ChatResponse(), await second.ChatAsync("weather?", new CacheControl { Outcome = outcomes[0] }));
        MeaiAssert.Equal(MeaiSamples.Embedding(), await second.EmbedAsync("hello", new CacheControl { Outcome = outcomes[1] }));
        MeaiAssert.Equal(MeaiSamples.Embeddings(), await second.EmbedBatchAsync("hello world", new CacheControl { Outcome = outcomes[2] }));
        MeaiAssert.Equal(MeaiSamples.Transcription(), await second.TranscribeAsync(audio, new CacheControl { Outcome = outcomes[3] }));
        Assert.Equal(0, second.Calls);
        Assert.All(outcomes, o => Assert.Equal((CacheOutcomeStatus.Hit, tier), (o.Status, o.Tier)));
    }
}
