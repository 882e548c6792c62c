using System;
using System.Collections.Generic;
using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Writes chat messages into a cache key: each message's role, author name, every content in order and its
/// additional properties. Tool call ids are keyed by where they first appear in the request, not by their
/// text, so a replayed tool conversation hits. Called by generated key builders; see docs/meai-keys.md.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChatMessageKeyWriter
{
    // Bytes guessed per message of a list: two messages or more take the thread's key buffer, not stack memory.
    private const int MessageGuess = 512;

    /// <summary>An estimate of the bytes <see cref="Write(ref CacheKeyWriter, IList{ChatMessage})"/> writes; the writer grows if it is short.</summary>
    public static int SizeHint(IList<ChatMessage>? messages) => SizeHint(new MessageList(messages));

    /// <summary>An estimate of the bytes <see cref="Write(ref CacheKeyWriter, IReadOnlyList{ChatMessage})"/> writes.</summary>
    public static int SizeHint(IReadOnlyList<ChatMessage>? messages) => SizeHint(new MessageList(messages));

    /// <summary>An estimate of the bytes <see cref="Write(ref CacheKeyWriter, List{ChatMessage})"/> writes.</summary>
    public static int SizeHint(List<ChatMessage>? messages) => SizeHint((IList<ChatMessage>?)messages);

    /// <summary>An estimate of the bytes <see cref="Write(ref CacheKeyWriter, ChatMessage[])"/> writes.</summary>
    public static int SizeHint(ChatMessage[]? messages) => SizeHint((IList<ChatMessage>?)messages);

    /// <summary>An estimate of the bytes <see cref="Write(ref CacheKeyWriter, ChatMessage)"/> writes.</summary>
    public static int SizeHint(ChatMessage? message) => message is null ? 1 : MessageSizeHint(message);

    /// <summary>Writes a list of messages; tool call ids are numbered across the whole list.</summary>
    public static void Write(ref CacheKeyWriter writer, IList<ChatMessage>? messages) => Write(ref writer, new MessageList(messages));

    /// <summary>Writes a list of messages; tool call ids are numbered across the whole list.</summary>
    public static void Write(ref CacheKeyWriter writer, IReadOnlyList<ChatMessage>? messages) => Write(ref writer, new MessageList(messages));

    /// <summary>Writes a list of messages; tool call ids are numbered across the whole list.</summary>
    public static void Write(ref CacheKeyWriter writer, List<ChatMessage>? messages) => Write(ref writer, (IList<ChatMessage>?)messages);

    /// <summary>Writes an array of messages; tool call ids are numbered across the whole array.</summary>
    public static void Write(ref CacheKeyWriter writer, ChatMessage[]? messages) => Write(ref writer, (IList<ChatMessage>?)messages);

    /// <summary>Writes one message; tool call ids are numbered within it.</summary>
    public static void Write(ref CacheKeyWriter writer, ChatMessage? message)
    {
        if (message is null)
        {
            writer.WriteNull();
            return;
        }

        var list = new MessageList(message);
        int callIds = 0;
        WriteMessage(ref writer, list, 0, ref callIds);
    }

    /// <summary>A message in the list whose run-time type derives from <see cref="ChatMessage"/>, whose own data the key would miss.</summary>
    public static (Type Declared, Type Actual)? FindUnkeyedType(IList<ChatMessage>? messages) => FindUnkeyedType(new MessageList(messages));

    /// <summary>A message in the list whose run-time type derives from <see cref="ChatMessage"/>.</summary>
    public static (Type Declared, Type Actual)? FindUnkeyedType(List<ChatMessage>? messages) => FindUnkeyedType((IList<ChatMessage>?)messages);

    /// <summary>A message in the array whose run-time type derives from <see cref="ChatMessage"/>.</summary>
    public static (Type Declared, Type Actual)? FindUnkeyedType(ChatMessage[]? messages) => FindUnkeyedType((IList<ChatMessage>?)messages);

    /// <summary>A message in the list whose run-time type derives from <see cref="ChatMessage"/>.</summary>
    public static (Type Declared, Type Actual)? FindUnkeyedType(IReadOnlyList<ChatMessage>? messages) => FindUnkeyedType(new MessageList(messages));

    /// <summary>The message's run-time type, when it derives from <see cref="ChatMessage"/>.</summary>
    public static (Type Declared, Type Actual)? FindUnkeyedType(ChatMessage? message) =>
        message is not null && message.GetType() != typeof(ChatMessage) ? (typeof(ChatMessage), message.GetType()) : null;

    private static (Type Declared, Type Actual)? FindUnkeyedType(MessageList messages)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            if (FindUnkeyedType(messages[i]) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// A guess from the count alone, without a walk of the contents: it only chooses between stack memory and the
    /// thread's key buffer, which grows once to the largest key the thread writes (CacheKeyWriter.ThreadBuffer.cs).
    /// </summary>
    private static int SizeHint(MessageList messages) =>
        messages.IsNull ? 1 : CacheKeyWriter.MaxScalarSize + (messages.Count * MessageGuess);

    private static int MessageSizeHint(ChatMessage message)
    {
        int size = (3 * CacheKeyWriter.MaxScalarSize) + CacheKeyWriter.MaxStringSize(message.Role.Value) + CacheKeyWriter.MaxStringSize(message.AuthorName);
        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            size += AIContentKeyWriter.SizeHint(contents[i]);
        }

        return size;
    }

    private static void Write(ref CacheKeyWriter writer, MessageList messages)
    {
        if (messages.IsNull)
        {
            writer.WriteNull();
            return;
        }

        writer.BeginList(messages.Count);
        int callIds = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            WriteMessage(ref writer, messages, i, ref callIds);
        }
    }

    private static void WriteMessage(ref CacheKeyWriter writer, MessageList messages, int index, ref int callIds)
    {
        ChatMessage? message = messages[index];
        if (message is null)
        {
            writer.WriteNull();
            return;
        }

        writer.BeginObject(4);
        writer.WriteString(message.Role.Value);
        writer.WriteString(message.AuthorName);
        IList<AIContent> contents = message.Contents;
        writer.BeginList(contents.Count);
        for (int i = 0; i < contents.Count; i++)
        {
            AIContent? content = contents[i];
            string? callId = AIContentKeyWriter.CallIdOf(content);
            int callNumber = callId is null ? -1 : FirstAppearance(messages, callId, callIds++);
            AIContentKeyWriter.Write(ref writer, content, callNumber);
        }

        AIValueKeyWriter.WriteProperties(ref writer, message.AdditionalProperties);
    }

    /// <summary>
    /// The position, among the request's call ids in order, where <paramref name="callId"/> first appears: the
    /// same conversation with other provider-made ids gives the same numbers, and which result answers which
    /// call stays in the key. A scan of the earlier ids, which allocates nothing; requests hold few tool calls.
    /// </summary>
    private static int FirstAppearance(MessageList messages, string callId, int current)
    {
        int seen = 0;
        for (int m = 0; m < messages.Count && seen < current; m++)
        {
            if (messages[m] is not { } message)
            {
                continue;
            }

            IList<AIContent> contents = message.Contents;
            for (int c = 0; c < contents.Count && seen < current; c++)
            {
                if (AIContentKeyWriter.CallIdOf(contents[c]) is { } earlier)
                {
                    if (string.Equals(earlier, callId, StringComparison.Ordinal))
                    {
                        return seen;
                    }

                    seen++;
                }
            }
        }

        return current;
    }

    /// <summary>One message, or a list of them through either list interface, indexed without an enumerator.</summary>
    private readonly struct MessageList
    {
        private readonly IList<ChatMessage>? _list;
        private readonly IReadOnlyList<ChatMessage>? _readOnly;
        private readonly ChatMessage? _single;

        public MessageList(IList<ChatMessage>? list)
        {
            _list = list;
            _readOnly = null;
            _single = null;
        }

        public MessageList(IReadOnlyList<ChatMessage>? list)
        {
            _list = null;
            _readOnly = list;
            _single = null;
        }

        public MessageList(ChatMessage single)
        {
            _list = null;
            _readOnly = null;
            _single = single;
        }

        public bool IsNull => _list is null && _readOnly is null && _single is null;

        public int Count => _list?.Count ?? _readOnly?.Count ?? (_single is null ? 0 : 1);

        public ChatMessage? this[int index] => _list is not null ? _list[index] : _readOnly is not null ? _readOnly[index] : _single;
    }
}
