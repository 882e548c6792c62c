using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using static LlmCache.AI.ChatResponseJsonNames;

namespace LlmCache.AI;

/// <summary>
/// A <see cref="ChatResponse"/> as MEAI's own JSON (<see cref="AIJsonUtilities.DefaultOptions"/>), written as before.
/// Writing and reading take a direct route for the common answer (text messages, ids, finish reason, times, token
/// counts) and hand anything else to System.Text.Json's general path: the direct writer writes the general path's
/// very bytes (<see cref="ChatResponseJsonWriter"/>), and every stored answer reads as it always did.
/// </summary>
/// <remarks>
/// The direct route accepts only what the general path would read into the same object: exactly these property
/// names, in any order, each once, with the JSON types MEAI writes for them. Anything else it does not interpret.
/// </remarks>
internal sealed class ChatResponseSerializer : CacheValueSerializer<ChatResponse>
{
    public static readonly ChatResponseSerializer Instance = new();

    private readonly JsonTypeInfo<ChatResponse> _typeInfo =
        AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)) as JsonTypeInfo<ChatResponse>
        ?? throw new InvalidOperationException("Microsoft.Extensions.AI's JSON options have no type information for ChatResponse.");

    public override CachePayloadKind Kind => CachePayloadKind.Json;

    public override byte[] Serialize(ChatResponse value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ChatResponseJsonWriter.IsCommon(value) ? ChatResponseJsonWriter.Write(value) : JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo);
    }

    public override ChatResponse Deserialize(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (TryReadResponse(ref reader) is { } response && !reader.Read())
            {
                return response;
            }
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            // Not the common shape after all (or not JSON): the general path reads it, or says why it cannot.
        }

        return JsonSerializer.Deserialize(payload, _typeInfo) ?? throw new JsonException("The cached JSON payload is null.");
    }

    /// <summary>The response, or <c>null</c> when the payload holds something the direct route does not read.</summary>
    private static ChatResponse? TryReadResponse(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var response = new ChatResponse();
        int seen = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            int property;
            if (reader.ValueTextEquals(Messages.EncodedUtf8Bytes))
            {
                property = 1;
                if (TryReadMessages(ref reader) is not { } messages)
                {
                    return null;
                }

                response.Messages = messages;
            }
            else if (reader.ValueTextEquals(ResponseId.EncodedUtf8Bytes))
            {
                property = 2;
                response.ResponseId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(ConversationId.EncodedUtf8Bytes))
            {
                property = 4;
                response.ConversationId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(ModelId.EncodedUtf8Bytes))
            {
                property = 8;
                response.ModelId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(CreatedAt.EncodedUtf8Bytes))
            {
                property = 16;
                response.CreatedAt = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals(FinishReason.EncodedUtf8Bytes))
            {
                property = 32;
                response.FinishReason = ReadString(ref reader) is { } reason ? new ChatFinishReason(reason) : null;
            }
            else if (reader.ValueTextEquals(Usage.EncodedUtf8Bytes))
            {
                property = 64;
                if (TryReadUsage(ref reader) is not { } usage)
                {
                    return null;
                }

                response.Usage = usage;
            }
            else
            {
                return null;
            }

            if ((seen & property) != 0)
            {
                return null;
            }

            seen |= property;
        }

        return reader.TokenType == JsonTokenType.EndObject && (seen & 1) != 0 ? response : null;
    }

    private static List<ChatMessage>? TryReadMessages(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            return null;
        }

        var messages = new List<ChatMessage>(1);
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            if (TryReadMessage(ref reader) is not { } message)
            {
                return null;
            }

            messages.Add(message);
        }

        return reader.TokenType == JsonTokenType.EndArray ? messages : null;
    }

    private static ChatMessage? TryReadMessage(ref Utf8JsonReader reader)
    {
        var message = new ChatMessage();
        int seen = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            int property;
            if (reader.ValueTextEquals(Role.EncodedUtf8Bytes))
            {
                property = 1;
                if (ReadString(ref reader) is not { } role)
                {
                    return null;
                }

                message.Role = new ChatRole(role);
            }
            else if (reader.ValueTextEquals(Contents.EncodedUtf8Bytes))
            {
                property = 2;
                if (TryReadTextContents(ref reader) is not { } contents)
                {
                    return null;
                }

                message.Contents = contents;
            }
            else if (reader.ValueTextEquals(AuthorName.EncodedUtf8Bytes))
            {
                property = 4;
                message.AuthorName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(MessageId.EncodedUtf8Bytes))
            {
                property = 8;
                message.MessageId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(CreatedAt.EncodedUtf8Bytes))
            {
                property = 16;
                message.CreatedAt = ReadTime(ref reader);
            }
            else
            {
                return null;
            }

            if ((seen & property) != 0)
            {
                return null;
            }

            seen |= property;
        }

        return reader.TokenType == JsonTokenType.EndObject ? message : null;
    }

    /// <summary>Contents that are all plain text (<c>{"$type":"text","text":...}</c>), or <c>null</c>.</summary>
    private static List<AIContent>? TryReadTextContents(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            return null;
        }

        var contents = new List<AIContent>(1);
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            // The type discriminator comes first, as MEAI writes it; then the text, and nothing else.
            if (Next(ref reader) != JsonTokenType.PropertyName || !reader.ValueTextEquals(TypeDiscriminator.EncodedUtf8Bytes) ||
                Next(ref reader) != JsonTokenType.String || !reader.ValueTextEquals(TextDiscriminator.EncodedUtf8Bytes))
            {
                return null;
            }

            string? text = null;
            if (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals(Text.EncodedUtf8Bytes) || (text = ReadString(ref reader)) is null || Next(ref reader) != JsonTokenType.EndObject)
                {
                    return null;
                }
            }
            else if (reader.TokenType != JsonTokenType.EndObject)
            {
                return null;
            }

            contents.Add(new TextContent(text));
        }

        return reader.TokenType == JsonTokenType.EndArray ? contents : null;
    }

    /// <summary>The three token counts, or <c>null</c> when the usage holds anything else.</summary>
    private static UsageDetails? TryReadUsage(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            return null;
        }

        var usage = new UsageDetails();
        int seen = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            int property;
            if (reader.ValueTextEquals(InputTokenCount.EncodedUtf8Bytes))
            {
                property = 1;
                usage.InputTokenCount = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals(OutputTokenCount.EncodedUtf8Bytes))
            {
                property = 2;
                usage.OutputTokenCount = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals(TotalTokenCount.EncodedUtf8Bytes))
            {
                property = 4;
                usage.TotalTokenCount = ReadCount(ref reader);
            }
            else
            {
                return null;
            }

            if ((seen & property) != 0)
            {
                return null;
            }

            seen |= property;
        }

        return reader.TokenType == JsonTokenType.EndObject ? usage : null;
    }

    /// <summary>A string value; throws (the general path then reads the payload) on any other token but null.</summary>
    private static string? ReadString(ref Utf8JsonReader reader) => Next(ref reader) switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Not a string."),
    };

    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader) => Next(ref reader) switch
    {
        JsonTokenType.String => reader.GetDateTimeOffset(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Not a time."),
    };

    private static long? ReadCount(ref Utf8JsonReader reader) => Next(ref reader) switch
    {
        JsonTokenType.Number => reader.GetInt64(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Not a count."),
    };

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The payload ends early.");
}
