using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using static LlmCache.AI.ChatResponseJsonNames;

namespace LlmCache.AI;

/// <summary>
/// Writes the common chat answer (messages of plain text, ids, finish reason, times, token counts) as exactly the bytes
/// System.Text.Json writes for it under <see cref="AIJsonUtilities.DefaultOptions"/>, without the serialiser's general
/// path: the same property names, order and skipped nulls, through a <see cref="Utf8JsonWriter"/> with the same
/// encoder and indentation. Anything else (other contents, annotations, additional properties, a continuation token,
/// experimental or additional token counts) it declines, and the general path writes it.
/// </summary>
/// <remarks>
/// The order it writes in is MEAI's, checked once against MEAI's own type information: a version of MEAI that adds,
/// drops or reorders a property of these types turns the direct route off, so it never writes less than the general path.
/// </remarks>
internal static class ChatResponseJsonWriter
{
    // A buffer larger than this after a write is dropped rather than kept by the thread.
    private const int KeptBufferBytes = 16 * 1024;

    // MEAI's experimental token counts (MEAI001), read through its own type information so that this library binds
    // to no experimental member: an answer that has one goes the general path.
    private static readonly string[] ExperimentalCountNames = ["inputAudioTokenCount", "inputTextTokenCount", "outputAudioTokenCount", "outputTextTokenCount"];
    private static readonly Func<object, object?>[] ExperimentalCounts = Getters(AIJsonUtilities.DefaultOptions, typeof(UsageDetails), ExperimentalCountNames);

    private static readonly JsonWriterOptions WriterOptions = OptionsOf(AIJsonUtilities.DefaultOptions);

    // The thread's buffer and writer, reused by its next answer. Like the key writer's thread buffer, it never leaves
    // this class, so it is not cleared between answers.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Whether MEAI's type information still lists, in this order, the properties this writer writes.</summary>
    public static bool IsEnabled { get; } = MatchesMeai(AIJsonUtilities.DefaultOptions);

    /// <summary>Whether <paramref name="response"/> is an answer this writer writes as the general path would.</summary>
    public static bool IsCommon(ChatResponse response)
    {
        if (!IsEnabled || response.ContinuationToken is not null || response.AdditionalProperties is not null || !IsCommon(response.Usage))
        {
            return false;
        }

        // Indexed loops: a foreach over these ILists would allocate an enumerator each.
        IList<ChatMessage> messages = response.Messages;
        for (int m = 0; m < messages.Count; m++)
        {
            ChatMessage message = messages[m];
            if (message is null || message.AdditionalProperties is not null)
            {
                return false;
            }

            IList<AIContent> contents = message.Contents;
            for (int c = 0; c < contents.Count; c++)
            {
                if (contents[c] is not TextContent { Annotations: null, AdditionalProperties: null })
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The JSON of a response for which <see cref="IsCommon(ChatResponse)"/> holds, in a new array.</summary>
    public static byte[] Write(ChatResponse response)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        try
        {
            WriteResponse(writer, response);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // Left empty for the thread's next answer, however this one ended.
            writer.Reset(buffer);
            buffer.ResetWrittenCount();
            if (buffer.Capacity > KeptBufferBytes)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private static void WriteResponse(Utf8JsonWriter writer, ChatResponse response)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Messages);
        IList<ChatMessage> messages = response.Messages;
        for (int m = 0; m < messages.Count; m++)
        {
            WriteMessage(writer, messages[m]);
        }

        writer.WriteEndArray();
        WriteIfNotNull(writer, ResponseId, response.ResponseId);
        WriteIfNotNull(writer, ConversationId, response.ConversationId);
        WriteIfNotNull(writer, ModelId, response.ModelId);
        WriteIfNotNull(writer, CreatedAt, response.CreatedAt);
        if (response.FinishReason is { } reason)
        {
            writer.WriteString(FinishReason, reason.Value);
        }

        if (response.Usage is { } usage)
        {
            writer.WriteStartObject(Usage);
            WriteIfNotNull(writer, InputTokenCount, usage.InputTokenCount);
            WriteIfNotNull(writer, OutputTokenCount, usage.OutputTokenCount);
            WriteIfNotNull(writer, TotalTokenCount, usage.TotalTokenCount);
            WriteIfNotNull(writer, CachedInputTokenCount, usage.CachedInputTokenCount);
            WriteIfNotNull(writer, ReasoningTokenCount, usage.ReasoningTokenCount);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        WriteIfNotNull(writer, AuthorName, message.AuthorName);
        WriteIfNotNull(writer, CreatedAt, message.CreatedAt);
        writer.WriteString(Role, message.Role.Value);
        writer.WriteStartArray(Contents);
        IList<AIContent> contents = message.Contents;
        for (int c = 0; c < contents.Count; c++)
        {
            writer.WriteStartObject();
            writer.WriteString(TypeDiscriminator, TextDiscriminator);
            writer.WriteString(Text, ((TextContent)contents[c]).Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteIfNotNull(writer, MessageId, message.MessageId);
        writer.WriteEndObject();
    }

    private static bool IsCommon(UsageDetails? usage)
    {
        if (usage is null)
        {
            return true;
        }

        if (usage.AdditionalCounts is not null)
        {
            return false;
        }

        foreach (Func<object, object?> count in ExperimentalCounts)
        {
            if (count(usage) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, JsonEncodedText name, long? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
    }

    /// <summary>The writer options System.Text.Json derives from <paramref name="options"/> when it serialises.</summary>
    private static JsonWriterOptions OptionsOf(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
    };

    /// <summary>
    /// Whether <paramref name="options"/> write these types with the property names, in the order, that this writer
    /// uses, skip nulls, and tell text apart from other contents by <c>"$type": "text"</c>.
    /// </summary>
    internal static bool MatchesMeai(JsonSerializerOptions options)
    {
        if (options.DefaultIgnoreCondition != System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull ||
            options.GetTypeInfo(typeof(AIContent)).PolymorphismOptions is not { } polymorphism ||
            polymorphism.TypeDiscriminatorPropertyName != TypeDiscriminator.Value ||
            !polymorphism.DerivedTypes.Any(derived => derived.DerivedType == typeof(TextContent) && derived.TypeDiscriminator as string == TextDiscriminator.Value))
        {
            return false;
        }

        return Writes(options, typeof(ChatResponse), Messages, ResponseId, ConversationId, ModelId, CreatedAt, FinishReason, Usage, ContinuationToken, AdditionalProperties) &&
            Writes(options, typeof(ChatMessage), AuthorName, CreatedAt, Role, Contents, MessageId, AdditionalProperties) &&
            Writes(options, typeof(TextContent), Text, Annotations, AdditionalProperties) &&
            Writes(options, typeof(UsageDetails), [InputTokenCount.Value, OutputTokenCount.Value, TotalTokenCount.Value, CachedInputTokenCount.Value, ReasoningTokenCount.Value, .. ExperimentalCountNames, AdditionalCounts.Value]);
    }

    /// <summary>
    /// Whether the written properties of <paramref name="type"/> (those with a getter) are exactly <paramref name="names"/>,
    /// in order, each written whenever it is not null.
    /// </summary>
    private static bool Writes(JsonSerializerOptions options, Type type, params JsonEncodedText[] names) =>
        Writes(options, type, names.Select(name => name.Value).ToArray());

    private static bool Writes(JsonSerializerOptions options, Type type, string[] names)
    {
        List<JsonPropertyInfo> written = options.GetTypeInfo(type).Properties.Where(property => property.Get is not null).ToList();
        return written.All(property => property.ShouldSerialize is null) && written.Select(property => property.Name).SequenceEqual(names);
    }

    /// <summary>The getters of the named properties, from <paramref name="options"/>' type information; none if a name is missing (the direct route is then off).</summary>
    private static Func<object, object?>[] Getters(JsonSerializerOptions options, Type type, string[] names)
    {
        IList<JsonPropertyInfo> properties = options.GetTypeInfo(type).Properties;
        var getters = new List<Func<object, object?>>(names.Length);
        foreach (string name in names)
        {
            if (properties.FirstOrDefault(property => property.Name == name)?.Get is not { } getter)
            {
                return [];
            }

            getters.Add(getter);
        }

        return [.. getters];
    }
}
