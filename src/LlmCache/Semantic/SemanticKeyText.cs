using System.Collections.Generic;
using System.ComponentModel;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache;

/// <summary>
/// Generated code: the text a semantic method embeds when its input is chat messages (the last user message's
/// text), and the scope key without it (every other message, and that message's other contents, stay in).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SemanticKeyText
{
    /// <summary>The text of the last user message, or <c>null</c> when there is none or it has no text.</summary>
    public static string? Of(IList<ChatMessage>? messages) => LastUser(messages) is { } at ? TextOf(messages![at]) : null;

    /// <summary>The text of the last user message, or <c>null</c>.</summary>
    public static string? Of(IReadOnlyList<ChatMessage>? messages) => Of(messages is null ? null : AsList(messages));

    /// <summary>The text of the last user message, or <c>null</c>.</summary>
    public static string? Of(List<ChatMessage>? messages) => Of((IList<ChatMessage>?)messages);

    /// <summary>The text of the last user message, or <c>null</c>.</summary>
    public static string? Of(ChatMessage[]? messages) => Of((IList<ChatMessage>?)messages);

    /// <summary>The message's text when it is a user message, or <c>null</c>.</summary>
    public static string? Of(ChatMessage? message) => message is { } m && m.Role == ChatRole.User ? TextOf(m) : null;

    /// <summary>Writes the messages with the last user message's text left out, as <see cref="ChatMessageKeyWriter"/> writes them otherwise.</summary>
    public static void WriteScope(ref CacheKeyWriter writer, IList<ChatMessage>? messages)
    {
        if (LastUser(messages) is not { } at)
        {
            ChatMessageKeyWriter.Write(ref writer, messages);
            return;
        }

        var scope = new List<ChatMessage>(messages!);
        scope[at] = WithoutText(scope[at]);
        ChatMessageKeyWriter.Write(ref writer, scope);
    }

    /// <summary>Writes the messages with the last user message's text left out.</summary>
    public static void WriteScope(ref CacheKeyWriter writer, IReadOnlyList<ChatMessage>? messages) => WriteScope(ref writer, messages is null ? null : AsList(messages));

    /// <summary>Writes the messages with the last user message's text left out.</summary>
    public static void WriteScope(ref CacheKeyWriter writer, List<ChatMessage>? messages) => WriteScope(ref writer, (IList<ChatMessage>?)messages);

    /// <summary>Writes the messages with the last user message's text left out.</summary>
    public static void WriteScope(ref CacheKeyWriter writer, ChatMessage[]? messages) => WriteScope(ref writer, (IList<ChatMessage>?)messages);

    /// <summary>Writes the message, without its text when it is a user message.</summary>
    public static void WriteScope(ref CacheKeyWriter writer, ChatMessage? message) =>
        ChatMessageKeyWriter.Write(ref writer, message is { } m && m.Role == ChatRole.User ? WithoutText(m) : message);

    private static int? LastUser(IList<ChatMessage>? messages)
    {
        if (messages is null)
        {
            return null;
        }

        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i] is { } message && message.Role == ChatRole.User)
            {
                return i;
            }
        }

        return null;
    }

    private static string? TextOf(ChatMessage message) => message.Text is { Length: > 0 } text ? text : null;

    /// <summary>A copy of the message without its text contents; its other contents (images, tool results) stay in the scope.</summary>
    private static ChatMessage WithoutText(ChatMessage message)
    {
        var contents = new List<AIContent>(message.Contents.Count);
        foreach (AIContent content in message.Contents)
        {
            if (content is not TextContent)
            {
                contents.Add(content);
            }
        }

        return new ChatMessage(message.Role, contents) { AuthorName = message.AuthorName, AdditionalProperties = message.AdditionalProperties };
    }

    private static List<ChatMessage> AsList(IReadOnlyList<ChatMessage> messages)
    {
        var list = new List<ChatMessage>(messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            list.Add(messages[i]);
        }

        return list;
    }
}
