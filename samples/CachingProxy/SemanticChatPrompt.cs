using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmCache.Proxy;

/// <summary>
/// What a semantic cache type embeds of a chat request, as the library does for <c>IChatClient</c> calls: the text
/// of the last user message (its string content, or its text parts joined by newlines). Every other part of the
/// request (the model, the other messages, that message's other parts, the parameters) stays in the scope key and
/// must match exactly.
/// </summary>
public static class SemanticChatPrompt
{
    /// <summary>
    /// The text to embed and the canonical body without it, or <c>null</c> when the request has no user message
    /// with text (it is then cached by its exact key only).
    /// </summary>
    public static (string Text, byte[] ScopeBytes)? Read(JsonElement body, HashSet<string> notInKey)
    {
        if (!body.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        int at = -1;
        int i = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out JsonElement role) && role.ValueEquals("user"u8))
            {
                at = i;
            }

            i++;
        }

        if (at < 0 || !messages[at].TryGetProperty("content", out JsonElement content) || TextOf(content) is not { Length: > 0 } text)
        {
            return null;
        }

        JsonObject root = JsonNode.Parse(body.GetRawText())!.AsObject();
        JsonObject user = root["messages"]![at]!.AsObject();
        if (content.ValueKind == JsonValueKind.String)
        {
            user.Remove("content");
        }
        else
        {
            JsonArray parts = user["content"]!.AsArray();
            for (int p = parts.Count - 1; p >= 0; p--)
            {
                if (IsTextPart(parts[p]))
                {
                    parts.RemoveAt(p);
                }
            }
        }

        return (text, CanonicalRequest.KeyBytes(Encoding.UTF8.GetBytes(root.ToJsonString()), notInKey));
    }

    private static string? TextOf(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (JsonElement part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out JsonElement type) && type.ValueEquals("text"u8) &&
                part.TryGetProperty("text", out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append(value.GetString());
            }
        }

        return text.ToString();
    }

    private static bool IsTextPart(JsonNode? part) =>
        part is JsonObject o && o["type"] is JsonValue type && type.TryGetValue(out string? name) && string.Equals(name, "text", StringComparison.Ordinal);
}
