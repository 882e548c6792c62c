using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmCache;

/// <summary>The <see cref="Meter"/> and <see cref="ActivitySource"/> of LlmCache, both named <c>LlmCache</c>.</summary>
/// <remarks>
/// <para>
/// The activity source traces what a call does past the memory tier: <c>llmcache.lookup</c> for each call that
/// misses in memory (tags <c>llmcache.method</c>, the method identity; <c>llmcache.key</c>, the in-process key
/// digest as in <see cref="CacheOutcome.Key"/>; <c>llmcache.outcome</c>, <c>hit</c>, <c>miss</c> or <c>bypassed</c>;
/// <c>llmcache.tier</c>, the tier that answered), and under it <c>llmcache.store.read</c> and
/// <c>llmcache.store.write</c> for each remote store operation (<c>llmcache.tier</c>; <c>llmcache.outcome</c> of a
/// read: <c>hit</c>, <c>miss</c>, <c>stale</c>, <c>corrupt</c> or <c>error</c>; a failed operation has the error
/// status) and <c>llmcache.call</c> for the implementation. No tag holds a key input or a value.
/// </para>
/// <para>
/// A memory hit starts no activity, so it stays free of allocation with or without a listener; without a listener
/// no activity is created at all.
/// </para>
/// </remarks>
public static class LlmCacheTelemetry
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "LlmCache";

    internal const string OutcomeTag = "llmcache.outcome";
    internal const string TierTag = "llmcache.tier";

    internal static readonly ActivitySource ActivitySource = new(Name);
    internal static readonly Meter Meter = new(Name);
    internal static readonly Counter<long> Hits = Meter.CreateCounter<long>("llmcache.hits", description: "Calls answered from a cache tier.");
    internal static readonly Counter<long> Misses = Meter.CreateCounter<long>("llmcache.misses", description: "Calls that ran the implementation.");
    internal static readonly Counter<long> StoreErrors = Meter.CreateCounter<long>("llmcache.store.errors", description: "Store operations that failed; the call went on without the store.");
    internal static readonly Counter<long> CorruptEntries = Meter.CreateCounter<long>("llmcache.store.corrupt_entries", description: "Stored entries that could not be read and were deleted.");

    internal static readonly UpDownCounter<long> InFlightCalls = Meter.CreateUpDownCounter<long>("llmcache.calls.in_flight", unit: "{call}", description: "Implementation calls running now, one per key however many callers wait for it.");
    internal static readonly Histogram<double> StoreDuration = Meter.CreateHistogram<double>("llmcache.store.operation.duration", unit: "s", description: "Time a store outside the process took for a read, write or delete, timed out or failed ones included.");
    internal static readonly Counter<long> StoreBytes = Meter.CreateCounter<long>("llmcache.store.bytes", unit: "By", description: "Payload bytes read from and written to stores outside the process.");

    internal const string OperationTag = "llmcache.operation";
    internal const string SimilarityTag = "llmcache.similarity";
    internal const string ReasonTag = "llmcache.reason";

    internal static readonly Counter<long> SemanticRejections = Meter.CreateCounter<long>("llmcache.semantic.guard_rejections", description: "Semantic matches the precision guard rejected, by reason (llmcache.reason).");

    internal const string MethodTag = "llmcache.method";

    /// <summary>Counts a hit of <paramref name="method"/> (its identity, a string the descriptor holds) in <paramref name="tier"/>; allocates nothing.</summary>
    internal static void RecordHit(string tier, string method) => Hits.Add(1, Tier(tier), new(MethodTag, method));

    /// <summary>Counts a call of <paramref name="method"/> that ran the implementation.</summary>
    internal static void RecordMiss(string method) => Misses.Add(1, new KeyValuePair<string, object?>(MethodTag, method));

    internal static KeyValuePair<string, object?> Tier(string tier) => new(TierTag, tier);

    /// <summary>Records one store operation's duration, with its store, operation and whether it succeeded.</summary>
    internal static void RecordStoreOperation(string tier, string operation, bool succeeded, TimeSpan elapsed) =>
        StoreDuration.Record(elapsed.TotalSeconds, Tier(tier), new(OperationTag, operation), new(OutcomeTag, succeeded ? "ok" : "error"));

    /// <summary>Counts payload bytes of a read or a write.</summary>
    internal static void RecordStoreBytes(string tier, string operation, int bytes) =>
        StoreBytes.Add(bytes, Tier(tier), new(OperationTag, operation));

    /// <summary>Starts the activity of one call past the memory tier; <c>null</c> when nobody listens.</summary>
    internal static Activity? StartLookup(string method, CacheKeyHash key)
    {
        Activity? activity = ActivitySource.StartActivity("llmcache.lookup");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MethodTag, method);
            activity.SetTag("llmcache.key", key.ToString());
        }

        return activity;
    }

    /// <summary>Starts the activity of one remote store operation (<c>read</c> or <c>write</c>).</summary>
    internal static Activity? StartStore(string operation, string tier) =>
        ActivitySource.StartActivity(operation == "read" ? "llmcache.store.read" : "llmcache.store.write")?.SetTag(TierTag, tier);

    /// <summary>Starts the activity of the implementation call.</summary>
    internal static Activity? StartCall() => ActivitySource.StartActivity("llmcache.call");

    /// <summary>Marks <paramref name="activity"/> failed by <paramref name="exception"/> (its type only: messages may quote inputs).</summary>
    internal static void Fail(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().FullName);
}
