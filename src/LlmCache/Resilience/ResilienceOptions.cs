using System;

namespace LlmCache;

/// <summary>
/// How the runtime guards stores outside the process (Redis, S3, your own) with a <see cref="ResilientCacheStore"/>:
/// a timeout per operation and a circuit breaker, so an outage costs a few calls the timeout and the rest nothing.
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>Whether the runtime wraps registered stores in a <see cref="ResilientCacheStore"/>. Default <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long one get, set or remove may take before it counts as a failure and the call goes on without the store. Default 1 s: enough for a multi-megabyte S3 upload, short enough that an outage costs a few calls one second each before the breaker opens.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many failures in a row open the circuit breaker. Default 5.</summary>
    public int FailuresBeforeBreak { get; set; } = 5;

    /// <summary>How long an open breaker skips the store before one call probes it again. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (StoreTimeout <= TimeSpan.Zero || StoreTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(StoreTimeout), StoreTimeout, "LlmCache:Resilience:StoreTimeout must be positive and under 24 days.");
        }

        if (FailuresBeforeBreak < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FailuresBeforeBreak), FailuresBeforeBreak, "LlmCache:Resilience:FailuresBeforeBreak must be at least 1.");
        }

        if (BreakDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BreakDuration), BreakDuration, "LlmCache:Resilience:BreakDuration must be positive.");
        }
    }

    internal ResilienceOptions Clone() => (ResilienceOptions)MemberwiseClone();

    internal bool SameAs(ResilienceOptions other) =>
        Enabled == other.Enabled && StoreTimeout == other.StoreTimeout &&
        FailuresBeforeBreak == other.FailuresBeforeBreak && BreakDuration == other.BreakDuration;
}
