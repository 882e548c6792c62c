using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// A per-key lock kept in a store that several processes share, so that app instances that miss the same key at
/// once make one model call between them (distributed single-flight). The runtime uses it when the store of a
/// call's remote tier implements this interface and <see cref="IsEnabled"/> is set: the instance that takes the
/// lock calls the model and stores the answer; the others read the answer from the store when it arrives.
/// </summary>
/// <remarks>
/// A lock lives at most <see cref="LockExpiry"/>, so a holder that dies (or loses its connection) holds up the
/// others no longer than that; then one of them takes the lock and calls the model itself. When the lock cannot be
/// taken or read because the store fails, each instance calls the model on its own (fail-open).
/// </remarks>
public interface IDistributedCallLock
{
    /// <summary>Whether the runtime should take this store's lock before calling the model on a miss.</summary>
    bool IsEnabled { get; }

    /// <summary>How long a lock lives unless released; longer than the slowest model call.</summary>
    TimeSpan LockExpiry { get; }

    /// <summary>How often an instance that waits for another's call looks for its answer.</summary>
    TimeSpan PollInterval { get; }

    /// <summary>
    /// Takes the lock of <paramref name="key"/> if nobody holds it. Returns the lease (dispose it to release the
    /// lock, which releases only a lock that is still this lease's), or <c>null</c> when another holds it.
    /// </summary>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(CacheStoreKey key, CancellationToken cancellationToken = default);
}
