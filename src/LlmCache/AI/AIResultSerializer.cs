using System;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>The serialiser of a Microsoft.Extensions.AI result for stores outside the process: MEAI's own JSON metadata.</summary>
internal static class AIResultSerializer
{
    /// <summary>JSON through <see cref="AIJsonUtilities.DefaultOptions"/>, or <c>null</c> (memory only) when it has no metadata for <typeparamref name="T"/>.</summary>
    public static CacheValueSerializer<T>? For<T>() =>
        AIJsonUtilities.DefaultOptions.TryGetTypeInfo(typeof(T), out JsonTypeInfo? info) && info is JsonTypeInfo<T> typed
            ? CacheValueSerializer.Json(typed)
            : null;
}
