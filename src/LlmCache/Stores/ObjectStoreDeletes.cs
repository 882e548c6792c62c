using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The deletions an object store (S3, Azure Blob Storage) starts after a read has already judged an object a miss
/// (expired, unreadable): off the read's path, at most <see cref="MaxRunning"/> at a time, each bounded by the
/// store's operation timeout. When that many are running the object waits for its next read. Disposing abandons
/// the ones still running: the object stays for a later store to find.
/// </summary>
/// <remarks>
/// Each running deletion is known by its object's name, so that the store's own write of that object can wait for
/// it (<see cref="RunningFor"/>): the miss that found the object writes the model's answer under the same name
/// moments later, and a deletion that reached the server after that write would remove the fresh entry.
/// </remarks>
internal sealed class ObjectStoreDeletes : IDisposable
{
    /// <summary>How many background deletions one store runs at once.</summary>
    public const int MaxRunning = 4;

    private readonly SemaphoreSlim _slots = new(MaxRunning, MaxRunning);
    private readonly CancellationTokenSource _disposal = new();
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;
    private int _runningCount;

    public ObjectStoreDeletes(TimeSpan timeout) => _timeout = timeout;

    public bool IsDisposed => _disposal.IsCancellationRequested;

    /// <summary>
    /// Starts <paramref name="delete"/> of <paramref name="objectName"/> on the thread pool, so that even the
    /// request's set-up never lengthens the read, unless the store is disposed, a deletion of that object is already
    /// running, or <see cref="MaxRunning"/> deletions are. A failure goes to <paramref name="failed"/>, never to the
    /// reader.
    /// </summary>
    public void Start<TState>(string objectName, TState state, Func<TState, CancellationToken, Task> delete, Action<TState, Exception> failed)
    {
        lock (_running)
        {
            if (_disposal.IsCancellationRequested || _running.ContainsKey(objectName) || !_slots.Wait(0))
            {
                return;
            }

            // The deletion's end removes it under this lock, so it cannot end before it is listed.
            _running.Add(objectName, Task.Run(() => RunAsync(objectName, state, delete, failed)));
            Volatile.Write(ref _runningCount, _running.Count);
        }
    }

    /// <summary>The deletion of <paramref name="objectName"/> still running, if one is; it never fails.</summary>
    public Task? RunningFor(string objectName)
    {
        // Every write asks: without a deletion running, it takes no lock.
        if (Volatile.Read(ref _runningCount) == 0)
        {
            return null;
        }

        lock (_running)
        {
            return _running.TryGetValue(objectName, out Task? running) ? running : null;
        }
    }

    public void Dispose() => _disposal.Cancel();

    private async Task RunAsync<TState>(string objectName, TState state, Func<TState, CancellationToken, Task> delete, Action<TState, Exception> failed)
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
            lock (_running)
            {
                _running.Remove(objectName);
                Volatile.Write(ref _runningCount, _running.Count);
            }

            _slots.Release();
        }
    }
}
