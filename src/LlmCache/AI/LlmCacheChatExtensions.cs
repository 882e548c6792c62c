using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>Passes a <see cref="CacheControl"/> to an <see cref="LlmCachingChatClient"/> further down a chat pipeline.</summary>
public static class LlmCacheChatExtensions
{
    /// <summary>
    /// A copy of <paramref name="options"/> (or new options) that carries <paramref name="control"/> under
    /// <see cref="CacheControlProperties.Control"/>; <paramref name="options"/> itself is left as it is, so options
    /// shared between calls never pick up one call's control. The control is not part of the key and does not reach
    /// the model; its <see cref="CacheControl.Outcome"/>, if set, receives what the call did.
    /// </summary>
    public static ChatOptions WithCacheControl(this ChatOptions? options, CacheControl control)
    {
        ChatOptions copy = options?.Clone() ?? new ChatOptions();
        copy.AdditionalProperties = copy.AdditionalProperties is { } properties ? new AdditionalPropertiesDictionary(properties) : new AdditionalPropertiesDictionary();
        copy.AdditionalProperties[CacheControlProperties.Control] = control;
        return copy;
    }

    /// <summary>Sends a chat request with per-call cache controls: <paramref name="options"/>.<see cref="WithCacheControl"/>(<paramref name="control"/>).</summary>
    public static Task<ChatResponse> GetResponseAsync(this IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CacheControl control, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetResponseAsync(messages, options.WithCacheControl(control), cancellationToken);
    }
}
