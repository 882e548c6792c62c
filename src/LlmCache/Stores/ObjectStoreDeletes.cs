using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The deletions an object store (S3, Azure Blob Storage) starts after a read has already judged an object a miss
/// (expired, unreadable): off the read's path, at most <see cref="MaxRunning"/> at a time, each bounded by the
/// store's operation timeout. When that many are running the object waits for its next read. Disposing abandons
/// the ones still running: the object stays for a later store to find.
/// </summary>
internal sealed class ObjectStoreDeletes : IDisposable
{
    /// <summary>How many background deletions one store runs at once.</summary>
    public const int MaxRunning = 4;

    private readonly SemaphoreSlim _slots = new(MaxRunning, MaxRunning);
    private readonly CancellationTokenSource _disposal = new();
    private readonly TimeSpan _timeout;

    public ObjectStoreDeletes(TimeSpan timeout) => _timeout = timeout;

    public bool IsDisposed => _disposal.IsCancellationRequested;

    /// <summary>
    /// Starts <paramref name="delete"/> on the thread pool, so that even the request's set-up never lengthens the
    /// read, unless the store is disposed or <see cref="MaxRunning"/> deletions are running. A failure goes to
    /// <paramref name="failed"/>, never to the reader.
    /// </summary>
    public void Start<TState>(TState state, Func<TState, CancellationToken, Task> delete, Action<TState, Exception> failed)
    {
        if (_disposal.IsCancellationRequested || !_slots.Wait(0))
        {
            return;
        }

        _ = Task.Run(() => RunAsync(state, delete, failed));
    }

    public void Dispose() => _disposal.Cancel();

    private async Task RunAsync<TState>(TState state, Func<TState, CancellationToken, Task> delete, Action<TState, Exception> failed)
    {
        try
        {
            using CancellationTokenSource timeout = ObjectStoreTimeout.Start(_timeout, _disposal.Token);
            await delete(state, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!_disposal.IsCancellationRequested)
        {
            failed(state, exception);
        }
        catch (Exception)
        {
            // The store was disposed meanwhile: the object stays for a later store to find.
        }
        finally
        {
            _slots.Release();
        }
    }
}
