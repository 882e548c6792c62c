using System;
using System.Globalization;

namespace LlmCache;

/// <summary>
/// The in-process digest of a canonical key: 128 bits from a per-process random secret (see <see cref="CacheKeyDigests.ComputeInProcess"/>).
/// It finds an entry; the entry's stored canonical bytes then confirm it, so a collision never serves a wrong value.
/// </summary>
public readonly struct CacheKeyHash : IEquatable<CacheKeyHash>
{
    private readonly ulong _low;
    private readonly ulong _high;

    internal CacheKeyHash(UInt128 value)
    {
        _low = (ulong)value;
        _high = (ulong)(value >> 64);
    }

    /// <inheritdoc />
    public bool Equals(CacheKeyHash other) => _low == other._low && _high == other._high;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CacheKeyHash other && Equals(other);

    /// <inheritdoc />
    /// <remarks>The value is already a seeded hash, so its low bits serve as the hash code.</remarks>
    public override int GetHashCode() => unchecked((int)_low);

    /// <summary>The digest as 32 lower-case hex characters.</summary>
    public override string ToString() => _high.ToString("x16", CultureInfo.InvariantCulture) + _low.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Compares two digests.</summary>
    public static bool operator ==(CacheKeyHash left, CacheKeyHash right) => left.Equals(right);

    /// <summary>Compares two digests.</summary>
    public static bool operator !=(CacheKeyHash left, CacheKeyHash right) => !left.Equals(right);
}
