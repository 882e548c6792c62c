using System;
using System.Threading;

namespace LlmCache;

/// <summary>
/// What a TTL means, in one place. A positive TTL expires the entry that long after it is stored; a TTL whose expiry
/// would fall past <see cref="DateTimeOffset.MaxValue"/> (such as <see cref="TimeSpan.MaxValue"/>) and
/// <see cref="Timeout.InfiniteTimeSpan"/> keep it without expiry; a per-call TTL of zero keeps nothing (and leaves
/// any entry already stored); other negative TTLs are rejected where they are set.
/// </summary>
internal static class CacheTtl
{
    /// <summary>How a rejected TTL's message ends: the values that are accepted.</summary>
    public const string AcceptedDefaults = "must be positive, Timeout.InfiniteTimeSpan for no expiry, or unset";

    /// <summary>Whether <paramref name="ttl"/> may be a default TTL: positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static bool IsValidDefault(TimeSpan ttl) => ttl > TimeSpan.Zero || ttl == Timeout.InfiniteTimeSpan;

    /// <summary>Whether <paramref name="ttl"/> may be a per-call TTL: a valid default, or zero.</summary>
    public static bool IsValidPerCall(TimeSpan ttl) => ttl == TimeSpan.Zero || IsValidDefault(ttl);

    /// <summary>
    /// The expiry of an entry stored at <paramref name="now"/> under <paramref name="ttl"/> (<c>null</c>: none);
    /// <c>false</c> when the entry is not to be kept at all.
    /// </summary>
    public static bool TryGetExpiry(TimeSpan? ttl, DateTimeOffset now, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        if (ttl is not { } span || span == Timeout.InfiniteTimeSpan)
        {
            return true;
        }

        if (span <= TimeSpan.Zero)
        {
            return false;
        }

        // Past the calendar saturates to "never": adding would throw after the model has already answered.
        long nowTicks = now.UtcTicks;
        if (span.Ticks <= DateTimeOffset.MaxValue.UtcTicks - nowTicks)
        {
            expiresAt = new DateTimeOffset(nowTicks + span.Ticks, TimeSpan.Zero);
        }

        return true;
    }
}
