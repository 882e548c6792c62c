using System;

namespace LlmCache;

/// <summary>What a cached call did; the reference's <c>cache_hit</c>. Pass one through <see cref="CacheControl.Outcome"/> to read it.</summary>
/// <remarks>Not thread-safe: use one instance per call.</remarks>
public sealed class CacheOutcome
{
    /// <summary>Hit, miss, or bypassed.</summary>
    public CacheOutcomeStatus Status { get; internal set; }

    /// <summary>The tier that answered a hit (<c>"memory"</c>, <c>"redis"</c>, ...), or <c>null</c> on a miss.</summary>
    public string? Tier { get; internal set; }

    /// <summary>The entry's age when it was served from the cache.</summary>
    public TimeSpan? Age { get; internal set; }

    // The digest is kept as it is and formatted when Key is read, so that recording a hit allocates nothing.
    private CacheKeyHash? _hash;
    private string? _key;

    /// <summary>The in-process key digest, as 32 hex characters. Unique within this process only (its hash is seeded per process).</summary>
    public string? Key => _key ??= _hash?.ToString();

    /// <summary>True when the call was a hit.</summary>
    public bool IsHit => Status == CacheOutcomeStatus.Hit;

    internal void Record(CacheOutcomeStatus status, string? tier, TimeSpan? age, CacheKeyHash key)
    {
        Status = status;
        Tier = tier;
        Age = age;
        _hash = key;
        _key = null;
    }

    /// <summary>Records that the call skipped the cache.</summary>
    internal void RecordBypassed()
    {
        Reset();
        Status = CacheOutcomeStatus.Bypassed;
    }

    internal void Reset()
    {
        Status = CacheOutcomeStatus.None;
        Tier = null;
        Age = null;
        _hash = null;
        _key = null;
    }
}

/// <summary>The kinds of <see cref="CacheOutcome"/>.</summary>
public enum CacheOutcomeStatus
{
    /// <summary>Nothing recorded yet.</summary>
    None = 0,

    /// <summary>The value came from a cache tier.</summary>
    Hit = 1,

    /// <summary>The implementation was called (or a concurrent call for the same key was awaited).</summary>
    Miss = 2,

    /// <summary>
    /// Caching was off for this call: globally disabled, <see cref="CacheControl.NoCache"/> with <see cref="CacheControl.NoStore"/>,
    /// or a key input was an instance of a type derived from the one its key form was made for (see <c>LlmCacheRuntime.BypassUnkeyedType</c>).
    /// </summary>
    Bypassed = 3,
}
