using System;
using System.Threading;

namespace LlmCache;

/// <summary>
/// What a TTL means, in one place. A positive TTL expires the entry that long after it is stored; a TTL whose expiry
/// would fall past <see cref="DateTimeOffset.MaxValue"/> (such as <see cref="TimeSpan.MaxValue"/>) and
/// <see cref="Timeout.InfiniteTimeSpan"/> keep it without expiry; a TTL of zero, per call, per method or as a default,
/// keeps nothing (and leaves any entry already stored); other negative TTLs are rejected where they are set.
/// </summary>
internal static class CacheTtl
{
    /// <summary>How a rejected TTL's message ends: the values that are accepted.</summary>
    public const string AcceptedDefaults = "must be positive, zero to keep nothing, Timeout.InfiniteTimeSpan for no expiry, or unset";

    /// <summary>Whether <paramref name="ttl"/> may be a TTL, per call, per method or as a default: zero or positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static bool IsValid(TimeSpan ttl) => ttl >= TimeSpan.Zero || ttl == Timeout.InfiniteTimeSpan;

    /// <summary>Rejects a store's default TTL that is not valid (see <see cref="IsValid"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public static void ThrowIfInvalidStoreDefault(TimeSpan? ttl, string parameterName)
    {
        if (ttl is { } value && !IsValid(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"A store's default TTL {AcceptedDefaults} for the runtime's.");
        }
    }

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
