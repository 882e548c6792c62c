using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// The direct writer of the stored chat answer writes System.Text.Json's very bytes for every answer it takes, declines
/// every answer it would write differently, and turns itself off when MEAI's metadata no longer matches it.
/// </summary>
public sealed class ChatResponseJsonWriterTests
{
    private static readonly JsonTypeInfo<ChatResponse> General = (JsonTypeInfo<ChatResponse>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));
    private static readonly CacheValueSerializer<ChatResponse> Serializer = MeaiResultSerializers.ChatResponse();

    // Text that exercises the encoder: escapes, non-ASCII, surrogate pairs, lone surrogates, controls, HTML-sensitive characters.
    private static readonly string[] Fragments =
    [
        "The Istanbul routing allows two checked bags.", "", " ", "café", "\"quoted\"", "back\\slash", "line\nbreak\r\ttab",
        "<b>&amp;</b>", "'single'", "😀", "\uD83D", "\uDE00x", "\u0001\u001f", "\u2028\u2029", "日本語", "+", "`", new string('x', 300),
    ];

    [Fact]
    public void The_direct_route_is_on_for_this_version_of_MEAI()
    {
        // Were MEAI's metadata to stop matching, every answer would silently take the slower general path.
        Assert.True(ChatResponseJsonWriter.IsEnabled);
    }

    [Fact]
    public void Every_common_answer_is_written_as_the_general_path_writes_it()
    {
        var random = new Random(20261203);
        for (int i = 0; i < 2000; i++)
        {
            ChatResponse response = RandomCommonAnswer(random);

            Assert.True(ChatResponseJsonWriter.IsCommon(response), $"case {i}");
            AssertWrittenAsTheGeneralPath(response, $"case {i}");
        }
    }

    public static TheoryData<string> UncommonAnswers => new()
    {
        "annotations", "content properties", "message properties", "response properties", "continuation token",
        "function call", "reasoning", "additional counts", "experimental count", "null message", "null content",
    };

    [Theory]
    [MemberData(nameof(UncommonAnswers))]
    public void An_answer_it_would_write_differently_is_declined_and_written_by_the_general_path(string shape)
    {
        ChatResponse response = Uncommon(shape);

        Assert.False(ChatResponseJsonWriter.IsCommon(response));
        AssertWrittenAsTheGeneralPath(response, shape);
    }

    [Fact]
    public void Options_that_write_these_types_otherwise_turn_the_direct_route_off()
    {
        Assert.True(ChatResponseJsonWriter.MatchesMeai(AIJsonUtilities.DefaultOptions));

        var nullsWritten = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        Assert.False(ChatResponseJsonWriter.MatchesMeai(nullsWritten));

        var reordered = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { TypeInfoResolver = AIJsonUtilities.DefaultOptions.TypeInfoResolver!.WithAddedModifier(ReverseChatMessageProperties) };
        Assert.False(ChatResponseJsonWriter.MatchesMeai(reordered));

        var renamed = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { TypeInfoResolver = AIJsonUtilities.DefaultOptions.TypeInfoResolver!.WithAddedModifier(RenameUsageCount) };
        Assert.False(ChatResponseJsonWriter.MatchesMeai(renamed));
    }

    [Fact]
    public void Writing_a_common_answer_allocates_only_the_payload()
    {
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags."))
        {
            ModelId = "m-1",
            Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 7, TotalTokenCount = 12 },
        };
        int payload = Serializer.Serialize(answer).Length;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Serializer.Serialize(answer);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // The byte array itself: its length plus the array's header and padding.
        Assert.InRange(perCall, payload, payload + 32);
    }

    [Fact]
    public void A_long_answer_is_written_whole_and_its_buffer_is_not_kept()
    {
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, new string('y', 100_000)));

        AssertWrittenAsTheGeneralPath(answer, "long");
        AssertWrittenAsTheGeneralPath(new ChatResponse(new ChatMessage(ChatRole.Assistant, "short")), "after the long one");
    }

    private static void AssertWrittenAsTheGeneralPath(ChatResponse response, string label)
    {
        byte[]? expected = Capture(() => JsonSerializer.SerializeToUtf8Bytes(response, General), out Type? expectedFailure);
        byte[]? actual = Capture(() => Serializer.Serialize(response), out Type? actualFailure);

        Assert.True(
            expectedFailure == actualFailure && (expected is null ? actual is null : actual is not null && expected.AsSpan().SequenceEqual(actual)),
            $"{label}: expected {Show(expected, expectedFailure)}, written {Show(actual, actualFailure)}");
    }

    private static ChatResponse RandomCommonAnswer(Random random)
    {
        var messages = new List<ChatMessage>();
        int messageCount = random.Next(4);
        for (int m = 0; m < messageCount; m++)
        {
            var contents = new List<AIContent>();
            int contentCount = random.Next(4);
            for (int c = 0; c < contentCount; c++)
            {
                contents.Add(new TextContent(random.Next(8) == 0 ? null : RandomText(random)));
            }

            messages.Add(new ChatMessage(RandomRole(random), contents)
            {
                AuthorName = Maybe(random, RandomText),
                MessageId = Maybe(random, RandomText),
                CreatedAt = Maybe(random, RandomTime),
            });
        }

        return new ChatResponse(messages)
        {
            ResponseId = Maybe(random, RandomText),
            ConversationId = Maybe(random, RandomText),
            ModelId = Maybe(random, RandomText),
            CreatedAt = Maybe(random, RandomTime),
            FinishReason = random.Next(3) == 0 ? null : new ChatFinishReason(random.Next(2) == 0 ? "stop" : NonBlank(RandomText(random), "length")),
            Usage = random.Next(3) == 0 ? null : new UsageDetails
            {
                InputTokenCount = MaybeCount(random),
                OutputTokenCount = MaybeCount(random),
                TotalTokenCount = MaybeCount(random),
                CachedInputTokenCount = MaybeCount(random),
                ReasoningTokenCount = MaybeCount(random),
            },
            RawRepresentation = random.Next(4) == 0 ? new object() : null,
        };
    }

    private static ChatRole RandomRole(Random random) => random.Next(5) switch
    {
        0 => ChatRole.User,
        1 => ChatRole.System,
        2 => ChatRole.Tool,
        3 => new ChatRole(NonBlank(RandomText(random), "critic")),
        _ => ChatRole.Assistant,
    };

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        int parts = random.Next(4);
        for (int i = 0; i < parts; i++)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return text.ToString();
    }

    // Roles and finish reasons refuse blank names.
    private static string NonBlank(string text, string otherwise) => string.IsNullOrWhiteSpace(text) ? otherwise : text;

    private static DateTimeOffset? RandomTime(Random random) =>
        new DateTimeOffset(2020 + random.Next(10), 1 + random.Next(12), 1 + random.Next(28), random.Next(24), random.Next(60), random.Next(60), TimeSpan.FromMinutes(15 * random.Next(-48, 57)))
            .AddTicks(random.Next(2) == 0 ? 0 : random.Next(10_000_000));

    private static long? MaybeCount(Random random) => random.Next(3) switch
    {
        0 => null,
        1 => random.Next(100_000),
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    private static T? Maybe<T>(Random random, Func<Random, T> make) where T : class => random.Next(2) == 0 ? null : make(random);

    private static DateTimeOffset? Maybe(Random random, Func<Random, DateTimeOffset?> make) => random.Next(2) == 0 ? null : make(random);

#pragma warning disable MEAI001 // An experimental count, set only to check that an answer with one is declined.
    private static void SetExperimentalCount(UsageDetails usage) => usage.InputAudioTokenCount = 4;
#pragma warning restore MEAI001

    private static ChatResponse Uncommon(string shape)
    {
        var text = new TextContent("x");
        var message = new ChatMessage(ChatRole.Assistant, [text]);
        var response = new ChatResponse(message);
        switch (shape)
        {
            case "annotations":
                text.Annotations = [new CitationAnnotation { Title = "t" }];
                break;
            case "content properties":
                text.AdditionalProperties = new() { ["k"] = "v" };
                break;
            case "message properties":
                message.AdditionalProperties = new() { ["k"] = "v" };
                break;
            case "response properties":
                response.AdditionalProperties = new() { ["k"] = "v" };
                break;
            case "continuation token":
                response.ContinuationToken = ResponseContinuationToken.FromBytes(new byte[] { 1, 2, 3 });
                break;
            case "function call":
                message.Contents.Add(new FunctionCallContent("1", "f", new Dictionary<string, object?> { ["days"] = 3 }));
                break;
            case "reasoning":
                message.Contents.Add(new TextReasoningContent("thinking"));
                break;

            case "additional counts":
                response.Usage = new UsageDetails { InputTokenCount = 1, AdditionalCounts = new() { ["cached"] = 2 } };
                break;
            case "experimental count":
                response.Usage = new UsageDetails { InputTokenCount = 1 };
                SetExperimentalCount(response.Usage);
                break;
            case "null message":
                response.Messages.Add(null!);
                break;
            case "null content":
                message.Contents.Add(null!);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, null);
        }

        return response;
    }

    private static void ReverseChatMessageProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type == typeof(ChatMessage))
        {
            var properties = new List<JsonPropertyInfo>(typeInfo.Properties);
            properties.Reverse();
            typeInfo.Properties.Clear();
            foreach (JsonPropertyInfo property in properties)
            {
                typeInfo.Properties.Add(property);
            }
        }
    }

    private static void RenameUsageCount(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type == typeof(UsageDetails))
        {
            typeInfo.Properties[0].Name = "input_tokens";
        }
    }

    private static byte[]? Capture(Func<byte[]> write, out Type? failure)
    {
        failure = null;
        try
        {
            return write();
        }
        catch (Exception exception)
        {
            failure = exception.GetType();
            return null;
        }
    }

    private static string Show(byte[]? bytes, Type? failure) => failure is not null ? failure.Name : Encoding.UTF8.GetString(bytes!);
}
