using System;
using System.Threading;

namespace LlmCache;

/// <summary>
/// Per-call cache controls, LiteLLM's <c>cache={...}</c> dictionary: <c>no-cache</c>, <c>no-store</c>,
/// <c>ttl</c>, <c>s-maxage</c>, <c>namespace</c> and <c>use-cache</c>. Pass it as a parameter of a <see cref="LlmCachedAttribute"/>
/// method; it is never part of the key. <c>default</c> means "cache as configured".
/// </summary>
public readonly struct CacheControl : IEquatable<CacheControl>
{
    private readonly TimeSpan? _ttl;

    /// <summary>Don't return a cached value: call the implementation (its result is still stored unless <see cref="NoStore"/>).</summary>
    public bool NoCache { get; init; }

    /// <summary>Don't store this call's result.</summary>
    public bool NoStore { get; init; }

    /// <summary>
    /// Cache this call when <see cref="LlmCacheOptions.Mode"/> is <see cref="CacheMode.DefaultOff"/> (LiteLLM's
    /// <c>use-cache</c>); under the default mode every call is cached anyway.
    /// </summary>
    public bool UseCache { get; init; }

    /// <summary>
    /// Store this call's result for this long instead of the method's or store's default TTL, in every tier.
    /// <see cref="TimeSpan.Zero"/> keeps nothing (as LiteLLM's <c>ttl=0</c>) and leaves an entry already
    /// stored in place; <see cref="Timeout.InfiniteTimeSpan"/> stores without expiry, and so does a TTL that reaches
    /// past <see cref="DateTimeOffset.MaxValue"/> (such as <see cref="TimeSpan.MaxValue"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is negative and not <see cref="Timeout.InfiniteTimeSpan"/>: thrown here, before any call is made.</exception>
    public TimeSpan? Ttl
    {
        get => _ttl;
        init => _ttl = value is { } ttl && !CacheTtl.IsValid(ttl)
            ? throw new ArgumentOutOfRangeException(nameof(Ttl), ttl, "A per-call TTL must be positive, zero to keep nothing, or Timeout.InfiniteTimeSpan for no expiry.")
            : value;
    }

    /// <summary>Accept only a cached value younger than this (LiteLLM's <c>s-maxage</c>).</summary>
    public TimeSpan? SMaxAge { get; init; }

    /// <summary>Read and write under this namespace instead of the method's or runtime's.</summary>
    public string? Namespace { get; init; }

    /// <summary>When set, receives what happened on this call (hit or miss, which tier, the key digest).</summary>
    public CacheOutcome? Outcome { get; init; }

    /// <summary>A control that skips the cache read: <c>no-cache</c>.</summary>
    public static CacheControl Refresh => new() { NoCache = true };

    /// <summary>A control that neither reads nor writes: the call goes straight to the implementation.</summary>
    public static CacheControl Bypass => new() { NoCache = true, NoStore = true };

    /// <inheritdoc />
    public bool Equals(CacheControl other) =>
        NoCache == other.NoCache && NoStore == other.NoStore && UseCache == other.UseCache && Ttl == other.Ttl && SMaxAge == other.SMaxAge &&
        string.Equals(Namespace, other.Namespace, StringComparison.Ordinal) && ReferenceEquals(Outcome, other.Outcome);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CacheControl other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NoCache, NoStore, UseCache, Ttl, SMaxAge, Namespace, Outcome);

    /// <summary>Compares two controls by value.</summary>
    public static bool operator ==(CacheControl left, CacheControl right) => left.Equals(right);

    /// <summary>Compares two controls by value.</summary>
    public static bool operator !=(CacheControl left, CacheControl right) => !left.Equals(right);
}
