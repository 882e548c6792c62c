using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// A snapshot of one runtime's counters since it was created (<see cref="LlmCacheRuntime.GetStatistics"/>): the
/// figures the meters report, without a metrics pipeline, for a health page or a log line.
/// </summary>
public sealed class CacheStatistics
{
    internal CacheStatistics(CacheCounts total, IReadOnlyDictionary<string, CacheCounts> tiers, IReadOnlyDictionary<string, CacheCounts> methods)
    {
        Total = total;
        Tiers = tiers;
        Methods = methods;
    }

    /// <summary>
    /// Every call: <see cref="CacheCounts.Hits"/> answered from a tier, <see cref="CacheCounts.Misses"/> that ran the
    /// implementation, <see cref="CacheCounts.Errors"/> store operations that failed (the calls went on without the store).
    /// </summary>
    public CacheCounts Total { get; }

    /// <summary>
    /// By tier name (<c>memory</c>, <c>redis</c>, <c>disk</c>, <c>s3</c>, a custom store's name): the calls it answered,
    /// the lookups in it that found no usable entry (absent, expired, older than <c>SMaxAge</c>, unreadable), and its
    /// operations that failed or that an open circuit breaker skipped.
    /// </summary>
    public IReadOnlyDictionary<string, CacheCounts> Tiers { get; }

    /// <summary>By method identity (<see cref="CachedMethod{T}.Identity"/>): the method's hits, misses and store errors.</summary>
    public IReadOnlyDictionary<string, CacheCounts> Methods { get; }

    /// <inheritdoc />
    public override string ToString() => Total.ToString();
}

/// <summary>Hits, misses and errors of a runtime, a tier or a method.</summary>
/// <param name="Hits">Calls answered from the cache.</param>
/// <param name="Misses">Calls that ran the implementation; for a tier, lookups that found no usable entry.</param>
/// <param name="Errors">Store operations that failed.</param>
public readonly record struct CacheCounts(long Hits, long Misses, long Errors)
{
    /// <summary>Hits over hits and misses; 0 before the first call.</summary>
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    /// <inheritdoc />
    public override string ToString() => $"{Hits} hits, {Misses} misses, {Errors} errors ({HitRatio:P1} hit ratio)";
}
