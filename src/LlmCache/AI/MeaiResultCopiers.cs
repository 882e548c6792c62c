using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Copies of Microsoft.Extensions.AI results, made on every cache hit of a method that returns one, and of every
/// update a cached stream passes on (see docs/results.md and docs/streaming.md). Written by hand, not through JSON: the copy keeps the original's value types and allocates
/// only the objects and lists it replaces. Every list and dictionary a caller can edit is new, and so is every
/// response, message, embedding, usage and content of MEAI's own common types (text, reasoning, data, URI, tool call,
/// tool result, error, usage). Strings, vectors and bytes are immutable and shared; so are values inside additional
/// properties, arguments and results, the transport objects (<c>RawRepresentation</c>) and contents of any other type.
/// </summary>
public static class MeaiResultCopiers
{
    /// <summary>Copies a <see cref="Microsoft.Extensions.AI.ChatResponse"/>: its messages, their contents, usage and additional properties.</summary>
    public static CacheValueCopier<ChatResponse> ChatResponse { get; } = new ChatResponseCopier();

    /// <summary>
    /// Copies the updates of a cached <see cref="ChatResponseUpdate"/> stream, each with its contents and additional
    /// properties: every update a replay or a live shared stream passes on is the caller's own.
    /// </summary>
    public static CacheValueCopier<IReadOnlyList<ChatResponseUpdate>> ChatResponseUpdates { get; } = new ChatResponseUpdateCopier();

    /// <summary>Copies a <see cref="Microsoft.Extensions.AI.ChatMessage"/> and its contents.</summary>
    public static CacheValueCopier<ChatMessage> ChatMessage { get; } = new ChatMessageCopier();

    /// <summary>Copies a <see cref="Microsoft.Extensions.AI.SpeechToTextResponse"/>: its contents, usage and additional properties.</summary>
    /// <remarks>Experimental (MEAI001) as speech to text is in Microsoft.Extensions.AI.</remarks>
    [Experimental("MEAI001")]
    public static CacheValueCopier<SpeechToTextResponse> SpeechToTextResponse { get; } = new SpeechToTextResponseCopier();

    /// <summary>Copies an <see cref="Embedding{T}"/>; the vector, read-only, is shared.</summary>
    public static CacheValueCopier<Embedding<T>> Embedding<T>() => EmbeddingCopier<T>.Instance;

    /// <summary>Copies a <see cref="GeneratedEmbeddings{TEmbedding}"/> of <see cref="Embedding{T}"/>: the list, each embedding, usage and additional properties.</summary>
    public static CacheValueCopier<GeneratedEmbeddings<Embedding<T>>> GeneratedEmbeddings<T>() => GeneratedEmbeddingsCopier<T>.Instance;

    internal static ChatResponse Copy(ChatResponse response)
    {
        var messages = new List<ChatMessage>(response.Messages.Count);
        foreach (ChatMessage message in response.Messages)
        {
            messages.Add(Copy(message));
        }

        return new ChatResponse(messages)
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            Usage = Copy(response.Usage),
            ContinuationToken = response.ContinuationToken,
            RawRepresentation = response.RawRepresentation,
            AdditionalProperties = response.AdditionalProperties?.Clone(),
        };
    }

    internal static ChatMessage Copy(ChatMessage message) =>
        new(message.Role, Copy(message.Contents))
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            RawRepresentation = message.RawRepresentation,
            AdditionalProperties = message.AdditionalProperties?.Clone(),
        };

    internal static ChatResponseUpdate Copy(ChatResponseUpdate update) =>
        new(update.Role, Copy(update.Contents))
        {
            AuthorName = update.AuthorName,
            ResponseId = update.ResponseId,
            MessageId = update.MessageId,
            ConversationId = update.ConversationId,
            CreatedAt = update.CreatedAt,
            FinishReason = update.FinishReason,
            ModelId = update.ModelId,
            ContinuationToken = update.ContinuationToken,
            RawRepresentation = update.RawRepresentation,
            AdditionalProperties = update.AdditionalProperties?.Clone(),
        };

    private static List<AIContent> Copy(IList<AIContent> contents)
    {
        var copy = new List<AIContent>(contents.Count);
        for (int i = 0; i < contents.Count; i++)
        {
            copy.Add(Copy(contents[i]));
        }

        return copy;
    }

    /// <summary>
    /// MEAI's common contents by their exact type; a derived or other type is shared, since only its author knows
    /// how to copy it.
    /// </summary>
    private static AIContent Copy(AIContent content)
    {
        AIContent? copy = content switch
        {
            TextContent text when text.GetType() == typeof(TextContent) => new TextContent(text.Text),
            TextReasoningContent reasoning when reasoning.GetType() == typeof(TextReasoningContent) => new TextReasoningContent(reasoning.Text) { ProtectedData = reasoning.ProtectedData },
            FunctionCallContent call when call.GetType() == typeof(FunctionCallContent) =>
                new FunctionCallContent(call.CallId, call.Name, call.Arguments is null ? null : new Dictionary<string, object?>(call.Arguments))
                {
                    Exception = call.Exception,
                    InformationalOnly = call.InformationalOnly,
                },
            FunctionResultContent result when result.GetType() == typeof(FunctionResultContent) => new FunctionResultContent(result.CallId, result.Result) { Exception = result.Exception },
            DataContent data when data.GetType() == typeof(DataContent) => new DataContent(data.Data, data.MediaType) { Name = data.Name },
            UriContent uri when uri.GetType() == typeof(UriContent) => new UriContent(uri.Uri, uri.MediaType),
            ErrorContent error when error.GetType() == typeof(ErrorContent) => new ErrorContent(error.Message) { ErrorCode = error.ErrorCode, Details = error.Details },
            UsageContent usage when usage.GetType() == typeof(UsageContent) => new UsageContent(Copy(usage.Details)!),
            _ => null,
        };
        if (copy is null)
        {
            return content;
        }

        copy.RawRepresentation = content.RawRepresentation;
        copy.AdditionalProperties = content.AdditionalProperties?.Clone();
        copy.Annotations = content.Annotations is null ? null : new List<AIAnnotation>(content.Annotations);
        return copy;
    }

    private static UsageDetails? Copy(UsageDetails? usage) =>
        usage is null
            ? null
            : new UsageDetails
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
                CachedInputTokenCount = usage.CachedInputTokenCount,
                ReasoningTokenCount = usage.ReasoningTokenCount,
#pragma warning disable MEAI001 // The audio and text splits are experimental; copied so that a copy loses nothing.
                InputAudioTokenCount = usage.InputAudioTokenCount,
                InputTextTokenCount = usage.InputTextTokenCount,
                OutputAudioTokenCount = usage.OutputAudioTokenCount,
                OutputTextTokenCount = usage.OutputTextTokenCount,
#pragma warning restore MEAI001
                AdditionalCounts = usage.AdditionalCounts?.Clone(),
            };

    private static Embedding<T> Copy<T>(Embedding<T> embedding) =>
        new(embedding.Vector)
        {
            ModelId = embedding.ModelId,
            CreatedAt = embedding.CreatedAt,
            AdditionalProperties = embedding.AdditionalProperties?.Clone(),
        };

    private sealed class ChatResponseCopier : CacheValueCopier<ChatResponse>
    {
        public override ChatResponse Copy(ChatResponse value) => MeaiResultCopiers.Copy(value ?? throw new ArgumentNullException(nameof(value)));
    }

    private sealed class ChatResponseUpdateCopier : CacheStreamCopier<ChatResponseUpdate>
    {
        public override ChatResponseUpdate CopyUpdate(ChatResponseUpdate update) => MeaiResultCopiers.Copy(update ?? throw new ArgumentNullException(nameof(update)));
    }

    private sealed class ChatMessageCopier : CacheValueCopier<ChatMessage>
    {
        public override ChatMessage Copy(ChatMessage value) => MeaiResultCopiers.Copy(value ?? throw new ArgumentNullException(nameof(value)));
    }

    [Experimental("MEAI001")]
    private sealed class SpeechToTextResponseCopier : CacheValueCopier<SpeechToTextResponse>
    {
        public override SpeechToTextResponse Copy(SpeechToTextResponse value)
        {
            ArgumentNullException.ThrowIfNull(value);
            return new SpeechToTextResponse(MeaiResultCopiers.Copy(value.Contents))
            {
                ResponseId = value.ResponseId,
                ModelId = value.ModelId,
                StartTime = value.StartTime,
                EndTime = value.EndTime,
                Usage = MeaiResultCopiers.Copy(value.Usage),
                RawRepresentation = value.RawRepresentation,
                AdditionalProperties = value.AdditionalProperties?.Clone(),
            };
        }
    }

    private sealed class EmbeddingCopier<T> : CacheValueCopier<Embedding<T>>
    {
        public static readonly EmbeddingCopier<T> Instance = new();

        public override Embedding<T> Copy(Embedding<T> value) => MeaiResultCopiers.Copy(value ?? throw new ArgumentNullException(nameof(value)));
    }

    private sealed class GeneratedEmbeddingsCopier<T> : CacheValueCopier<GeneratedEmbeddings<Embedding<T>>>
    {
        public static readonly GeneratedEmbeddingsCopier<T> Instance = new();

        public override GeneratedEmbeddings<Embedding<T>> Copy(GeneratedEmbeddings<Embedding<T>> value)
        {
            ArgumentNullException.ThrowIfNull(value);
            var copy = new GeneratedEmbeddings<Embedding<T>>(value.Count)
            {
                Usage = MeaiResultCopiers.Copy(value.Usage),
                AdditionalProperties = value.AdditionalProperties?.Clone(),
            };
            foreach (Embedding<T> embedding in value)
            {
                copy.Add(MeaiResultCopiers.Copy(embedding));
            }

            return copy;
        }
    }
}
