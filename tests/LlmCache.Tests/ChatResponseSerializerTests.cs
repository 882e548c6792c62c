using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// The stored chat answer: written as MEAI's own JSON, and read back (by the direct route for the common answer)
/// into exactly what System.Text.Json's general path reads, for every payload an older or newer writer may have stored.
/// </summary>
public sealed class ChatResponseSerializerTests
{
    private static readonly JsonTypeInfo<ChatResponse> General = (JsonTypeInfo<ChatResponse>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));
    private static readonly CacheValueSerializer<ChatResponse> Serializer = MeaiResultSerializers.ChatResponse();

    public static TheoryData<string> Payloads => new()
    {
        // As the versions before this one stored a one-line answer: indented, MEAI's own options.
        """
        {
          "messages": [
            {
              "role": "assistant",
              "contents": [
                {
                  "$type": "text",
                  "text": "The Istanbul routing allows two checked bags."
                }
              ]
            }
          ]
        }
        """,
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"caf\u00e9 \"quoted\" \n line"}]}]}""",
        """{"modelId":"m-1","usage":{"totalTokenCount":12,"inputTokenCount":5,"outputTokenCount":7},"messages":[{"contents":[{"$type":"text","text":"a"},{"$type":"text","text":"b"}],"role":"assistant","authorName":"bot","messageId":"m1","createdAt":"2026-01-02T03:04:05+01:00"},{"role":"tool","contents":[]}],"responseId":"r-1","conversationId":"c-1","createdAt":"2026-01-02T03:04:05.123Z","finishReason":"stop"}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text"}]}]}""",
        """{"messages":[{"role":"user"}]}""",
        """{"messages":[]}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}],"usage":{"inputTokenCount":1,"additionalCounts":{"cached":2}}}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"functionCall","callId":"1","name":"f","arguments":{"days":3}}]}]}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x","annotations":[]}]}],"additionalProperties":{"fingerprint":"fp"}}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"first"}]}],"messages":[{"role":"user","contents":[{"$type":"text","text":"second"}]}]}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}],"finishReason":null,"modelId":null}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}],"usage":{"inputTokenCount":"5"}}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}],"createdAt":"not a time"}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}]} trailing""",
        """{"messages":[{"role":"assistant","contents":[{"text":"x","$type":"text"}]}]}""",
        """{"messages":[{"role":"","contents":[]}]}""",
        """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}]""",
        """null""",
        """[]""",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_stored_answer_reads_as_the_general_path_reads_it(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        string? expected = Read(() => JsonSerializer.Deserialize(payload, General) ?? throw new JsonException("null"), out Type? expectedFailure);

        string? actual = Read(() => Serializer.Deserialize(payload), out Type? actualFailure);

        Assert.Equal(expected, actual);
        Assert.Equal(expectedFailure, actualFailure);
    }

    [Fact]
    public void An_answer_is_stored_as_the_versions_before_stored_it()
    {
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, "The Istanbul routing allows two checked bags."))
        {
            ModelId = "m-1",
            Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 7, TotalTokenCount = 12 },
        };

        byte[] stored = Serializer.Serialize(answer);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(answer, General), stored);
        Assert.Equal(JsonSerializer.Serialize(answer, General), JsonSerializer.Serialize(Serializer.Deserialize(stored), General));
    }

    /// <summary>The response as JSON, or <c>null</c> with the type of the exception that reading threw.</summary>
    private static string? Read(Func<ChatResponse> read, out Type? failure)
    {
        failure = null;
        try
        {
            return JsonSerializer.Serialize(read(), General);
        }
        catch (Exception exception)
        {
            failure = exception.GetType();
            return null;
        }
    }
}
