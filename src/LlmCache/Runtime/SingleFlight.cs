using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// Makes concurrent misses for one key share one call: the first caller starts the work, the others await it.
/// A waiter that is cancelled stops waiting without cancelling the work for the rest; the work's own token is
/// cancelled only when every waiter has given up.
/// </summary>
internal sealed class SingleFlight
{
    private readonly ConcurrentDictionary<CacheKeyHash, object> _flights = new();

    /// <summary>How many calls are in flight (for tests and diagnostics).</summary>
    public int Count => _flights.Count;

    public ValueTask<TResult> RunAsync<TContext, TResult>(
        CacheKeyHash hash,
        byte[] key,
        TContext context,
        Func<TContext, CancellationToken, ValueTask<TResult>> work,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_flights.TryGetValue(hash, out object? existing))
            {
                if (existing is Flight<TResult> flight && key.AsSpan().SequenceEqual(flight.Key) && flight.TryJoin())
                {
                    return flight.WaitAsync(cancellationToken);
                }

                // A different key under the same digest, or a flight that every waiter has abandoned: run alone.
                return work(context, cancellationToken);
            }

            var created = new Flight<TResult>(key);
            if (_flights.TryAdd(hash, created))
            {
                _ = created.RunAsync(this, hash, context, work);
                return created.WaitAsync(cancellationToken);
            }
        }
    }

    private void Remove(CacheKeyHash hash, object flight) => _flights.TryRemove(new KeyValuePair<CacheKeyHash, object>(hash, flight));

    private sealed class Flight<TResult>
    {
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _abandoned = new();
        private int _waiters = 1;

        public Flight(byte[] key) => Key = key;

        public byte[] Key { get; }

        public bool TryJoin()
        {
            int waiters = Volatile.Read(ref _waiters);
            while (waiters > 0)
            {
                int seen = Interlocked.CompareExchange(ref _waiters, waiters + 1, waiters);
                if (seen == waiters)
                {
                    return true;
                }

                waiters = seen;
            }

            return false;
        }

        public async Task RunAsync<TContext>(SingleFlight owner, CacheKeyHash hash, TContext context, Func<TContext, CancellationToken, ValueTask<TResult>> work)
        {
            try
            {
                TResult result = await work(context, _abandoned.Token).ConfigureAwait(false);
                owner.Remove(hash, this);
                _completion.TrySetResult(result);
            }
            catch (OperationCanceledException) when (_abandoned.IsCancellationRequested)
            {
                owner.Remove(hash, this);
                _completion.TrySetCanceled(_abandoned.Token);
            }
            catch (Exception exception)
            {
                owner.Remove(hash, this);
                _completion.TrySetException(exception);
            }
        }

        public ValueTask<TResult> WaitAsync(CancellationToken cancellationToken)
        {
            Task<TResult> task = _completion.Task;
            if (task.IsCompleted || !cancellationToken.CanBeCanceled)
            {
                return new ValueTask<TResult>(task);
            }

            return WaitCancellableAsync(task, cancellationToken);
        }

        private async ValueTask<TResult> WaitCancellableAsync(Task<TResult> task, CancellationToken cancellationToken)
        {
            try
            {
                return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !task.IsCompleted)
            {
                if (Interlocked.Decrement(ref _waiters) == 0)
                {
                    _abandoned.Cancel();
                }

                throw;
            }
        }
    }
}
