namespace LlmCache;

/// <summary>The statistics snapshot: the hits, misses and errors this runtime counted, in total, per tier and per method.</summary>
public sealed partial class LlmCacheRuntime
{
    private readonly RuntimeStatistics _statistics = new();

    /// <summary>
    /// A snapshot of this runtime's hits, misses and store errors since it was created, in total, per tier and per
    /// method; an <see cref="Update"/> keeps them. The meters of <see cref="LlmCacheTelemetry"/> count the same
    /// events for the whole process.
    /// </summary>
    public CacheStatistics GetStatistics() => _statistics.Snapshot();

    internal RuntimeStatistics Statistics => _statistics;
}
