using System;
using System.Collections.Generic;
using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Writes <see cref="ChatOptions"/> into a cache key: everything that can change the model's answer (model,
/// instructions, sampling settings, stop sequences, seed, response format with its schema, tools by name,
/// description and schemas, tool mode, reasoning, additional properties, conversation id); not the
/// <see cref="ChatOptions.RawRepresentationFactory"/> callback, nor LlmCache's per-call controls among the
/// additional properties (<see cref="CacheControlProperties"/>). Called by generated key builders; see docs/meai-keys.md.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChatOptionsKeyWriter
{
    // The kinds of response formats, tools and tool modes: part of the stored key format, never renumber.
    private const byte TextFormat = 1;
    private const byte JsonFormat = 2;
    private const byte FunctionTool = 1;
    private const byte OtherKind = 0xFF;
    private const byte NoneMode = 0;
    private const byte AutoMode = 1;
    private const byte RequiredMode = 2;

    // Bytes guessed per tool (name, description and schemas) by the size hint.
    private const int ToolGuess = 1024;

    /// <summary>An estimate of the bytes <see cref="Write"/> writes; the writer grows if it is short.</summary>
    public static int SizeHint(ChatOptions? options)
    {
        if (options is null)
        {
            return 1;
        }

        int size = (24 * CacheKeyWriter.MaxScalarSize) + CacheKeyWriter.MaxStringSize(options.ModelId) + CacheKeyWriter.MaxStringSize(options.Instructions) + CacheKeyWriter.MaxStringSize(options.ConversationId);
        if (options.StopSequences is { } stops)
        {
            for (int i = 0; i < stops.Count; i++)
            {
                size += CacheKeyWriter.MaxStringSize(stops[i]);
            }
        }

        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            size += 32 + CacheKeyWriter.MaxStringSize(json.SchemaName) + CacheKeyWriter.MaxStringSize(json.SchemaDescription) + (json.Schema is { } schema ? AIValueKeyWriter.JsonSizeHint(schema) : 1);
        }

        // Tools by their count alone, as messages are: the key buffer grows if the guess is short.
        return size + ((options.Tools?.Count ?? 0) * ToolGuess);
    }

    /// <summary>The options' run-time type, when it derives from <see cref="ChatOptions"/>: its own state would not be in the key.</summary>
    public static (Type Declared, Type Actual)? FindUnkeyedType(ChatOptions? options) =>
        options is not null && options.GetType() != typeof(ChatOptions) ? (typeof(ChatOptions), options.GetType()) : null;

    /// <summary>Writes the options, or a null marker.</summary>
    public static void Write(ref CacheKeyWriter writer, ChatOptions? options)
    {
        if (options is null)
        {
            writer.WriteNull();
            return;
        }

        writer.BeginObject(19);
        writer.WriteString(options.ModelId);
        writer.WriteString(options.Instructions);
        WriteOptional(ref writer, options.Temperature);
        WriteOptional(ref writer, options.TopP);
        WriteOptional(ref writer, options.TopK);
        WriteOptional(ref writer, options.MaxOutputTokens);
        WriteOptional(ref writer, options.FrequencyPenalty);
        WriteOptional(ref writer, options.PresencePenalty);
        WriteOptional(ref writer, options.Seed);
        WriteStrings(ref writer, options.StopSequences);
        WriteResponseFormat(ref writer, options.ResponseFormat);
        WriteTools(ref writer, options.Tools);
        WriteToolMode(ref writer, options.ToolMode);
        WriteOptional(ref writer, options.AllowMultipleToolCalls);
        WriteReasoning(ref writer, options.Reasoning);
        WriteOptional(ref writer, options.AllowBackgroundResponses);
        if (options.ContinuationToken is { } token)
        {
            writer.WriteBytes(token.ToBytes().Span);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteString(options.ConversationId);
        AIValueKeyWriter.WriteRequestProperties(ref writer, options.AdditionalProperties);
    }

    private static void WriteResponseFormat(ref CacheKeyWriter writer, ChatResponseFormat? format)
    {
        switch (format)
        {
            case null:
                writer.WriteNull();
                break;
            case ChatResponseFormatText when format.GetType() == typeof(ChatResponseFormatText):
                writer.BeginObject(1);
                writer.Write(TextFormat);
                break;
            case ChatResponseFormatJson json when format.GetType() == typeof(ChatResponseFormatJson):
                writer.BeginObject(4);
                writer.Write(JsonFormat);
                JsonSchemaKeyMemo.Write(ref writer, json.Schema);
                writer.WriteString(json.SchemaName);
                writer.WriteString(json.SchemaDescription);
                break;
            default:
                writer.BeginObject(2);
                writer.Write(OtherKind);
                AIValueKeyWriter.WriteSerialized(ref writer, format);
                break;
        }
    }

    private static void WriteTools(ref CacheKeyWriter writer, IList<AITool>? tools)
    {
        if (tools is null)
        {
            writer.WriteNull();
            return;
        }

        writer.BeginList(tools.Count);
        for (int i = 0; i < tools.Count; i++)
        {
            AITool? tool = tools[i];
            if (tool is null)
            {
                writer.WriteNull();
                continue;
            }

            // A function is what the model sees of it: name, description and schemas, whatever class declares it.
            if (tool is AIFunctionDeclaration function)
            {
                writer.BeginObject(6, FunctionTool);
                writer.WriteString(function.Name);
                writer.WriteString(function.Description);
                JsonSchemaKeyMemo.Write(ref writer, function.JsonSchema);
                JsonSchemaKeyMemo.Write(ref writer, function.ReturnJsonSchema);
            }
            else
            {
                writer.BeginObject(5, OtherKind);
                writer.WriteString(tool.GetType().FullName);
                writer.WriteString(tool.Name);
                writer.WriteString(tool.Description);
            }

            AIValueKeyWriter.WriteProperties(ref writer, tool.AdditionalProperties);
        }
    }

    private static void WriteToolMode(ref CacheKeyWriter writer, ChatToolMode? mode)
    {
        switch (mode)
        {
            case null:
                writer.WriteNull();
                break;
            case NoneChatToolMode:
                writer.BeginObject(1);
                writer.Write(NoneMode);
                break;
            case AutoChatToolMode:
                writer.BeginObject(1);
                writer.Write(AutoMode);
                break;
            case RequiredChatToolMode required:
                writer.BeginObject(2);
                writer.Write(RequiredMode);
                writer.WriteString(required.RequiredFunctionName);
                break;
            default:
                writer.BeginObject(2);
                writer.Write(OtherKind);
                AIValueKeyWriter.WriteSerialized(ref writer, mode);
                break;
        }
    }

    private static void WriteReasoning(ref CacheKeyWriter writer, ReasoningOptions? reasoning)
    {
        if (reasoning is null)
        {
            writer.WriteNull();
            return;
        }

        writer.BeginObject(2);
        if (reasoning.Effort is { } effort)
        {
            writer.WriteEnum((long)effort);
        }
        else
        {
            writer.WriteNull();
        }

        if (reasoning.Output is { } output)
        {
            writer.WriteEnum((long)output);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static void WriteStrings(ref CacheKeyWriter writer, IList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull();
            return;
        }

        writer.BeginList(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            writer.WriteString(values[i]);
        }
    }

    private static void WriteOptional(ref CacheKeyWriter writer, float? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static void WriteOptional(ref CacheKeyWriter writer, int? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static void WriteOptional(ref CacheKeyWriter writer, long? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static void WriteOptional(ref CacheKeyWriter writer, bool? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNull();
        }
    }
}
