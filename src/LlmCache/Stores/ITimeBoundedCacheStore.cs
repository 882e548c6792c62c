using System;

namespace LlmCache;

/// <summary>
/// A store that bounds every get, set and remove by a timeout of its own (its client library's, for example).
/// The runtime's <see cref="ResilientCacheStore"/> then arms no timer of its own for those operations (a second
/// timer per operation would be wasted work) and keeps only its circuit breaker.
/// </summary>
public interface ITimeBoundedCacheStore : ICacheStore
{
    /// <summary>The longest one operation takes before it fails.</summary>
    TimeSpan OperationTimeout { get; }
}
