using System;
using System.Collections.Generic;
using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Writes one <see cref="AIContent"/> into a cache key by what it says to the model: text, bytes and media type,
/// tool calls and results, errors, file ids, usage, and its additional properties. A content of any other
/// type, or of a type derived from one of these, is written by the one documented fallback: its type's full
/// name and its JSON through <see cref="AIJsonUtilities.DefaultOptions"/>. Called by generated key builders.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AIContentKeyWriter
{
    // The kind written first in each content: part of the stored key format, never renumber.
    private const byte TextKind = 1;
    private const byte ReasoningKind = 2;
    private const byte DataKind = 3;
    private const byte UriKind = 4;
    private const byte FunctionCallKind = 5;
    private const byte FunctionResultKind = 6;
    private const byte ErrorKind = 7;
    private const byte HostedFileKind = 8;
    private const byte UsageKind = 9;
    private const byte OtherKind = 0xFF;

    /// <summary>An estimate of the bytes <see cref="Write(ref CacheKeyWriter, AIContent)"/> writes; the writer grows if it is short.</summary>
    public static int SizeHint(AIContent? content)
    {
        int size = 4 * CacheKeyWriter.MaxScalarSize;
        if (content?.GetType() == typeof(TextContent))
        {
            return size + CacheKeyWriter.MaxStringSize(((TextContent)content).Text);
        }

        switch (content)
        {
            case null:
                return 1;
            case TextContent text:
                return size + CacheKeyWriter.MaxStringSize(text.Text);
            case TextReasoningContent reasoning:
                return size + CacheKeyWriter.MaxStringSize(reasoning.Text) + CacheKeyWriter.MaxStringSize(reasoning.ProtectedData);
            case DataContent data:
                return size + 5 + data.Data.Length + CacheKeyWriter.MaxStringSize(data.MediaType) + CacheKeyWriter.MaxStringSize(data.Name);
            case UriContent uri:
                return size + CacheKeyWriter.MaxStringSize(uri.Uri.OriginalString) + CacheKeyWriter.MaxStringSize(uri.MediaType);
            case FunctionCallContent call:
                return size + CacheKeyWriter.MaxStringSize(call.Name) + 256;
            case ErrorContent error:
                return size + CacheKeyWriter.MaxStringSize(error.Message) + CacheKeyWriter.MaxStringSize(error.ErrorCode) + CacheKeyWriter.MaxStringSize(error.Details);
            default:
                return size + 256;
        }
    }

    /// <summary>Writes one content; a tool call id in it is keyed as the first (and only) one.</summary>
    public static void Write(ref CacheKeyWriter writer, AIContent? content) => Write(ref writer, content, CallIdOf(content) is null ? -1 : 0);

    /// <summary>The tool call id a function call or result refers to, if it is one.</summary>
    /// <remarks>By exact type, as <see cref="Write(ref CacheKeyWriter, AIContent?, int)"/> keys contents: a type compare, not a walk of the type's bases.</remarks>
    internal static string? CallIdOf(AIContent? content)
    {
        Type? type = content?.GetType();
        return type == typeof(FunctionCallContent) ? ((FunctionCallContent)content!).CallId
            : type == typeof(FunctionResultContent) ? ((FunctionResultContent)content!).CallId
            : null;
    }

    /// <summary>Writes one content, with <paramref name="callNumber"/> in place of its tool call id.</summary>
    internal static void Write(ref CacheKeyWriter writer, AIContent? content, int callNumber)
    {
        if (content is null)
        {
            writer.WriteNull();
            return;
        }

        // The exact type: a derived type may hold data of its own, which only the fallback sees.
        Type type = content.GetType();
        if (type == typeof(TextContent))
        {
            writer.BeginObject(3, TextKind);
            writer.WriteString(((TextContent)content).Text);
        }
        else if (type == typeof(TextReasoningContent))
        {
            var reasoning = (TextReasoningContent)content;
            writer.BeginObject(4, ReasoningKind);
            writer.WriteString(reasoning.Text);
            writer.WriteString(reasoning.ProtectedData);
        }
        else if (type == typeof(DataContent))
        {
            var data = (DataContent)content;
            writer.BeginObject(5, DataKind);
            writer.WriteBytes(data.Data.Span);
            writer.WriteString(data.MediaType);
            writer.WriteString(data.Name);
        }
        else if (type == typeof(UriContent))
        {
            var uri = (UriContent)content;
            writer.BeginObject(4, UriKind);
            writer.WriteString(uri.Uri.OriginalString);
            writer.WriteString(uri.MediaType);
        }
        else if (type == typeof(FunctionCallContent))
        {
            var call = (FunctionCallContent)content;
            writer.BeginObject(5, FunctionCallKind);
            WriteCallNumber(ref writer, callNumber);
            writer.WriteString(call.Name);
            AIValueKeyWriter.WriteDictionary(ref writer, call.Arguments);
        }
        else if (type == typeof(FunctionResultContent))
        {
            writer.BeginObject(4, FunctionResultKind);
            WriteCallNumber(ref writer, callNumber);
            AIValueKeyWriter.WriteValue(ref writer, ((FunctionResultContent)content).Result);
        }
        else if (type == typeof(ErrorContent))
        {
            var error = (ErrorContent)content;
            writer.BeginObject(5, ErrorKind);
            writer.WriteString(error.Message);
            writer.WriteString(error.ErrorCode);
            writer.WriteString(error.Details);
        }
        else if (type == typeof(HostedFileContent))
        {
            writer.BeginObject(3, HostedFileKind);
            writer.WriteString(((HostedFileContent)content).FileId);
        }
        else if (type == typeof(UsageContent))
        {
            writer.BeginObject(3, UsageKind);
            WriteUsage(ref writer, ((UsageContent)content).Details);
        }
        else
        {
            writer.BeginObject(3, OtherKind);
            AIValueKeyWriter.WriteSerialized(ref writer, content);
        }

        AIValueKeyWriter.WriteProperties(ref writer, content.AdditionalProperties);
    }

    private static void WriteCallNumber(ref CacheKeyWriter writer, int callNumber)
    {
        if (callNumber < 0)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(callNumber);
        }
    }

    private static void WriteUsage(ref CacheKeyWriter writer, UsageDetails? usage)
    {
        if (usage is null)
        {
            writer.WriteNull();
            return;
        }

        // The stable counts only: the audio and text splits are experimental in Microsoft.Extensions.AI (MEAI001).
        writer.BeginObject(6);
        WriteCount(ref writer, usage.InputTokenCount);
        WriteCount(ref writer, usage.OutputTokenCount);
        WriteCount(ref writer, usage.TotalTokenCount);
        WriteCount(ref writer, usage.CachedInputTokenCount);
        WriteCount(ref writer, usage.ReasoningTokenCount);
        AIValueKeyWriter.WriteCounts(ref writer, usage.AdditionalCounts);
    }

    private static void WriteCount(ref CacheKeyWriter writer, long? count)
    {
        if (count is { } value)
        {
            writer.Write(value);
        }
        else
        {
            writer.WriteNull();
        }
    }
}
