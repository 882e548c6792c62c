using System;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// The call type names <c>supported_call_types</c> accepts: LiteLLM's (each with its <c>a</c>-prefixed async twin)
/// and the <see cref="CallKind"/> names. LiteLLM's <c>completion</c> covers streamed completions too, so it maps to
/// <see cref="CallKind.Chat"/> and <see cref="CallKind.StreamingChat"/>; <c>text_completion</c> to <see cref="CallKind.Chat"/>.
/// </summary>
internal static class CallKindNames
{
    private const string Accepted = "completion, acompletion, text_completion, atext_completion, embedding, aembedding, transcription, atranscription (LiteLLM's names), or Chat, StreamingChat, Embedding, SpeechToText";

    /// <summary>
    /// The kinds named by <paramref name="items"/> (a list) or <paramref name="joined"/> (one comma-separated value,
    /// as an environment variable holds it); <c>null</c> when neither is set, which caches every kind.
    /// </summary>
    public static IReadOnlySet<CallKind>? Parse(IReadOnlyList<string> items, string? joined, string name)
    {
        IEnumerable<string>? names = items.Count > 0 ? items : SettingParser.Trimmed(joined)?.Split(',');
        if (names is null)
        {
            return null;
        }

        var kinds = new HashSet<CallKind>();
        foreach (string item in names)
        {
            if (SettingParser.Trimmed(item) is not { } value)
            {
                continue;
            }

            switch (value.ToLowerInvariant())
            {
                case "completion" or "acompletion":
                    kinds.Add(CallKind.Chat);
                    kinds.Add(CallKind.StreamingChat);
                    break;
                case "text_completion" or "atext_completion" or "chat":
                    kinds.Add(CallKind.Chat);
                    break;
                case "streamingchat":
                    kinds.Add(CallKind.StreamingChat);
                    break;
                case "embedding" or "aembedding":
                    kinds.Add(CallKind.Embedding);
                    break;
                case "transcription" or "atranscription" or "speechtotext":
                    kinds.Add(CallKind.SpeechToText);
                    break;
                default:
                    throw SettingParser.Invalid($"{name} holds '{value}', which is not a call type: use {Accepted}.");
            }
        }

        return kinds;
    }
}
