using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// How many write-behinds (<see cref="LlmCacheOptions.WriteBehind"/>) are under way, for
/// <see cref="LlmCacheRuntime.FlushWritesAsync"/> and disposal to wait until there are none. A count, not a set of
/// tasks: a miss that writes behind pays two interlocked operations, not a tracked task and its continuation.
/// </summary>
internal sealed class PendingWrites
{
    private readonly object _gate = new();
    private int _count;

    // Made by the first waiter while writes are under way; completed and dropped by the write that ends the last of them.
    private TaskCompletionSource? _idle;

    /// <summary>Counts a write from its start, on the caller's path, so that a flush right after the call waits for it.</summary>
    public void Begin() => Interlocked.Increment(ref _count);

    /// <summary>Counts a write out when it has landed or failed.</summary>
    public void End()
    {
        if (Interlocked.Decrement(ref _count) != 0)
        {
            return;
        }

        TaskCompletionSource? idle;
        lock (_gate)
        {
            // A write that began meanwhile ends the wait when it ends.
            if (Volatile.Read(ref _count) != 0)
            {
                return;
            }

            idle = _idle;
            _idle = null;
        }

        idle?.TrySetResult();
    }

    /// <summary>Completes when no write is under way; writes that begin meanwhile are waited for too.</summary>
    public async Task WhenNoneAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task idle;
            lock (_gate)
            {
                if (Volatile.Read(ref _count) == 0)
                {
                    return;
                }

                idle = (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
