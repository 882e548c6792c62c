using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace LlmCache;

/// <summary>
/// The counters behind <see cref="CacheStatistics"/>, one set per runtime. A method's and the memory tier's counters
/// are found without allocating (the first call of a method, always a miss, adds them), so the memory hit path stays
/// at 0 B: it costs two <see cref="Interlocked"/> increments.
/// </summary>
internal sealed class RuntimeStatistics
{
    // Keyed by the method's descriptor (one static per generated method, or per middleware client), compared by reference.
    private readonly ConcurrentDictionary<object, Counters> _methods = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, Counters> _tiers = new();

    public RuntimeStatistics() => Memory = Tier("memory");

    /// <summary>The memory tier's counters, kept at hand for the hit path.</summary>
    public Counters Memory { get; }

    public Counters Method<T>(CachedMethod<T> method) =>
        _methods.TryGetValue(method, out Counters? counters)
            ? counters
            : _methods.GetOrAdd(method, static (_, identity) => new Counters(identity), method.Identity);

    public Counters Tier(string name) =>
        _tiers.TryGetValue(name, out Counters? counters) ? counters : _tiers.GetOrAdd(name, static name => new Counters(name));

    public void Hit<T>(CachedMethod<T> method, Counters tier)
    {
        Interlocked.Increment(ref Method(method).Hits);
        Interlocked.Increment(ref tier.Hits);
    }

    public void Miss<T>(CachedMethod<T> method) => Interlocked.Increment(ref Method(method).Misses);

    public static void TierMiss(Counters tier) => Interlocked.Increment(ref tier.Misses);

    public void Error<T>(CachedMethod<T> method, string tier)
    {
        Interlocked.Increment(ref Method(method).Errors);
        Interlocked.Increment(ref Tier(tier).Errors);
    }

    public CacheStatistics Snapshot()
    {
        var methods = new Dictionary<string, CacheCounts>();
        long hits = 0, misses = 0, errors = 0;
        foreach (Counters counters in _methods.Values)
        {
            CacheCounts read = counters.Read();
            hits += read.Hits;
            misses += read.Misses;
            errors += read.Errors;

            // Two descriptors of one identity (two middleware clients of one configuration) are one method.
            methods[counters.Name] = methods.TryGetValue(counters.Name, out CacheCounts earlier)
                ? new CacheCounts(earlier.Hits + read.Hits, earlier.Misses + read.Misses, earlier.Errors + read.Errors)
                : read;
        }

        var tiers = new Dictionary<string, CacheCounts>();
        foreach (Counters counters in _tiers.Values)
        {
            CacheCounts read = counters.Read();
            if (read != default)
            {
                tiers[counters.Name] = read;
            }
        }

        return new CacheStatistics(new CacheCounts(hits, misses, errors), tiers, methods);
    }

    /// <summary>One set of counters, incremented in place.</summary>
    internal sealed class Counters(string name)
    {
        public long Hits;
        public long Misses;
        public long Errors;

        public string Name { get; } = name;

        public CacheCounts Read() => new(Volatile.Read(ref Hits), Volatile.Read(ref Misses), Volatile.Read(ref Errors));
    }
}
