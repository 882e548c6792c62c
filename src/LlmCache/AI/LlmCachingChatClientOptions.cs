using System;
using System.Threading;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// How an <see cref="LlmCachingChatClient"/> caches, the middleware's counterpart of the
/// <see cref="LlmCachedAttribute"/> arguments. The client copies them when it is created.
/// </summary>
public sealed class LlmCachingChatClientOptions
{
    private TimeSpan? _ttl;
    private double? _similarityThreshold;

    /// <summary>
    /// Where answers are kept; <see cref="CacheType.Default"/> uses the runtime's default type. A semantic type
    /// (<see cref="CacheType.Semantic"/>, <see cref="CacheType.RedisSemantic"/>, <see cref="CacheType.DualSemantic"/>),
    /// here or as the runtime's default, also answers a request whose last user message means the same as a cached
    /// one's, all else equal (docs/semantic/semantic-cache.md); streaming responses are cached by their exact key.
    /// </summary>
    public CacheType Type { get; set; }

    /// <summary>For a semantic type: the similarity threshold, from 0 to 1; <c>null</c> for the runtime's <see cref="SemanticCacheOptions.SimilarityThreshold"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 1].</exception>
    public double? SimilarityThreshold
    {
        get => _similarityThreshold;
        set => _similarityThreshold = value is { } threshold && !SemanticCacheOptions.IsThreshold(threshold)
            ? throw new ArgumentOutOfRangeException(nameof(SimilarityThreshold), threshold, "A similarity threshold is a number from 0 to 1.")
            : value;
    }

    /// <summary>For a semantic type: whether hits must pass the <see cref="SemanticPrecisionGuard"/>; <c>null</c> for the runtime's <see cref="SemanticCacheOptions.PrecisionGuard"/>.</summary>
    public bool? PrecisionGuard { get; set; }

    /// <summary>
    /// How long an answer is kept, in every tier, unless a call says otherwise; <c>null</c> for the store's default
    /// (as the attribute's <c>Ttl</c>). <see cref="Timeout.InfiniteTimeSpan"/> means no expiry.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is zero or negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan? Ttl
    {
        get => _ttl;
        set => _ttl = value is { } ttl && ttl <= TimeSpan.Zero && ttl != Timeout.InfiniteTimeSpan
            ? throw new ArgumentOutOfRangeException(nameof(Ttl), ttl, "A default TTL must be positive, or Timeout.InfiniteTimeSpan for no expiry.")
            : value;
    }

    /// <summary>The namespace of this client's entries, unless a call names one; <c>null</c> for the runtime's.</summary>
    public string? Namespace { get; set; }

    /// <summary>Part of every key: raise it to start a new keyspace (after changing a prompt template, say), as the attribute's <c>KeyVersion</c>.</summary>
    public int KeyVersion { get; set; }

    /// <summary>
    /// Cache requests that carry a <see cref="ChatOptions.ConversationId"/>. Off by default: the provider holds
    /// that conversation's history, which the cache cannot see, so the same messages can deserve another answer
    /// (as Microsoft.Extensions.AI's own caching client decides). When on, the conversation id is part of the key.
    /// </summary>
    public bool CacheConversations { get; set; }

    /// <summary>
    /// Hand every caller of a hit the cached <see cref="ChatResponse"/> itself (0 B per hit) instead of its own copy,
    /// and every caller of a stream the stored <see cref="ChatResponseUpdate"/>s themselves. Off by default: a caller
    /// that edits its response (appending its messages to a history and changing them, as chat loops and function
    /// invocation do) would change what the cache holds. See docs/results.md and docs/streaming.md.
    /// </summary>
    public bool ShareResult { get; set; }

    internal LlmCachingChatClientOptions Clone() => (LlmCachingChatClientOptions)MemberwiseClone();
}
