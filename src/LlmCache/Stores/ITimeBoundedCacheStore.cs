using System;

namespace LlmCache;

/// <summary>
/// A store that bounds every get, set and remove by a timeout of its own. The runtime's
/// <see cref="ResilientCacheStore"/> then arms no timer of its own for those operations (a second timer per
/// operation would be wasted work) and keeps only its circuit breaker.
/// </summary>
/// <remarks>
/// The promise covers all a caller waits for: connecting, waiting for a lock or a buffer, retries, and any clean-up
/// the operation does, not only the request a client library times. A store that cannot keep it (a client whose
/// timeouts the application sets, for example) must bound its awaits itself, or not implement this interface.
/// </remarks>
public interface ITimeBoundedCacheStore : ICacheStore
{
    /// <summary>The longest one operation takes before it fails.</summary>
    TimeSpan OperationTimeout { get; }
}
