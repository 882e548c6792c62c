using System;
using System.ComponentModel;
using System.Text;

namespace LlmCache;

/// <summary>
/// What the generator knows at compile time about one <see cref="LlmCachedAttribute"/> method: its identity
/// (containing type, name, signature and key version, written first into every key), its cache type, TTL,
/// namespace and value serialiser. Generated code keeps one in a static field.
/// </summary>
/// <typeparam name="T">The cached result type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CachedMethod<T>
{
    private readonly TimeSpan? _ttl;
    private readonly double? _similarityThreshold;

    /// <summary>Describes a cached method.</summary>
    /// <param name="identity">The method identity, for example <c>Demo.Assistant.AskAsync(string,float)->string#v0#k3f9a0c1d2e4b5a67</c> (the key version, then the fingerprint of the key's shape).</param>
    /// <param name="type">The cache type from the attribute.</param>
    /// <param name="ttlSeconds">The TTL from the attribute; 0 for the store's default (an explicit zero is set through <see cref="Ttl"/>).</param>
    /// <param name="namespace">The namespace from the attribute, or <c>null</c>.</param>
    /// <param name="serializer">How to serialise results for stores outside the process; <c>null</c> allows only the memory store.</param>
    public CachedMethod(string identity, CacheType type, int ttlSeconds, string? @namespace, CacheValueSerializer<T>? serializer)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (ttlSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ttlSeconds), ttlSeconds, "The TTL of a cached method cannot be negative.");
        }

        Identity = identity;
        IdentityUtf8 = Encoding.UTF8.GetBytes(identity);
        Type = type;
        _ttl = ttlSeconds == 0 ? null : TimeSpan.FromSeconds(ttlSeconds);
        Namespace = @namespace;
        Serializer = serializer;
    }

    /// <summary>The method identity.</summary>
    public string Identity { get; }

    /// <summary>The method identity as UTF-8, written into every key.</summary>
    public ReadOnlyMemory<byte> IdentityUtf8 { get; }

    /// <summary>The cache type.</summary>
    public CacheType Type { get; }

    /// <summary>
    /// The TTL, or <c>null</c> for the store's default; <see cref="TimeSpan.Zero"/> keeps nothing (generated for an
    /// explicit <c>[LlmCached(Ttl = 0)]</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is negative and not <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan? Ttl
    {
        get => _ttl;
        init => _ttl = value is { } ttl && !CacheTtl.IsValid(ttl)
            ? throw new ArgumentOutOfRangeException(nameof(Ttl), ttl, $"The TTL of a cached method {CacheTtl.AcceptedDefaults}.")
            : value;
    }

    /// <summary>The namespace, or <c>null</c> for the runtime's.</summary>
    public string? Namespace { get; }

    /// <summary>The kind of call the method makes; set by generated code, <see cref="CallKind.Chat"/> unless it says otherwise.</summary>
    public CallKind Kind { get; init; }

    /// <summary>
    /// Copies a cached value before each caller gets it (see <see cref="CacheValueCopier{T}"/>), or <c>null</c> to
    /// hand every caller the instance the cache holds; set by generated code for mutable result types.
    /// </summary>
    public CacheValueCopier<T>? Copier { get; init; }

    /// <summary>
    /// The similarity threshold of a semantic method (<see cref="LlmCachedAttribute.SimilarityThreshold"/>), or <c>null</c>
    /// for the runtime's <see cref="SemanticCacheOptions.SimilarityThreshold"/>; set by generated code.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 1].</exception>
    public double? SimilarityThreshold
    {
        get => _similarityThreshold;
        init => _similarityThreshold = value is { } threshold && !SemanticCacheOptions.IsThreshold(threshold)
            ? throw new ArgumentOutOfRangeException(nameof(SimilarityThreshold), threshold, "The similarity threshold of a cached method is a number from 0 to 1.")
            : value;
    }

    /// <summary>Whether a semantic hit of this method must pass the <see cref="SemanticPrecisionGuard"/>, or <c>null</c> for the runtime's <see cref="SemanticCacheOptions.PrecisionGuard"/>; set by generated code.</summary>
    public bool? PrecisionGuard { get; init; }

    /// <summary>The named store the method caches into (<see cref="LlmCachedAttribute.Store"/>), or <c>null</c> for <see cref="Type"/>'s; set by generated code.</summary>
    public string? Store { get; init; }

    /// <summary>The serialiser for stores outside the process.</summary>
    public CacheValueSerializer<T>? Serializer { get; }

    /// <inheritdoc />
    public override string ToString() => Identity;
}
