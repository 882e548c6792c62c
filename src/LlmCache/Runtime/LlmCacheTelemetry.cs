using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmCache;

/// <summary>The <see cref="Meter"/> and <see cref="ActivitySource"/> of LlmCache, both named <c>LlmCache</c>.</summary>
public static class LlmCacheTelemetry
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "LlmCache";

    internal static readonly ActivitySource ActivitySource = new(Name);
    internal static readonly Meter Meter = new(Name);
    internal static readonly Counter<long> Hits = Meter.CreateCounter<long>("llmcache.hits", description: "Calls answered from a cache tier.");
    internal static readonly Counter<long> Misses = Meter.CreateCounter<long>("llmcache.misses", description: "Calls that ran the implementation.");
    internal static readonly Counter<long> StoreErrors = Meter.CreateCounter<long>("llmcache.store.errors", description: "Store operations that failed; the call went on without the store.");
    internal static readonly Counter<long> CorruptEntries = Meter.CreateCounter<long>("llmcache.store.corrupt_entries", description: "Stored entries that could not be read and were deleted.");

    internal static KeyValuePair<string, object?> Tier(string tier) => new("llmcache.tier", tier);
}
