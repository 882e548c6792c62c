using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// Makes concurrent misses for one key share one call: the first caller starts the work, the others await it.
/// A waiter that is cancelled stops waiting without cancelling the work for the rest; the work's own token is
/// cancelled only when every waiter has given up, and the abandoned flight then leaves the table, so the next
/// callers of that key share a fresh one.
/// </summary>
internal sealed class SingleFlight
{
    private const int EndStripes = 64;

    private readonly ConcurrentDictionary<CacheKeyHash, object> _flights = new();

    // How many flights have left the table, by a stripe of their digest: a caller that compares the count of its
    // key's stripe before and after its own lookup knows whether a flight of its key can have ended in between.
    private readonly int[] _ended = new int[EndStripes];

    /// <summary>How many calls are in flight (for tests and diagnostics).</summary>
    public int Count => _flights.Count;

    /// <summary>
    /// A count that changes whenever a flight of <paramref name="hash"/> leaves the table (and sometimes when a flight
    /// of another key does): unchanged between two reads, no flight of the key ended, so none stored its answer, in between.
    /// </summary>
    public int Ended(CacheKeyHash hash) => Volatile.Read(ref _ended[Stripe(hash)]);

    public ValueTask<TResult> RunAsync<TContext, TResult>(
        CacheKeyHash hash,
        byte[] key,
        TContext context,
        Func<TContext, CancellationToken, ValueTask<TResult>> work,
        CancellationToken cancellationToken,
        Func<TContext, Task?>? settling = null,
        Action<TContext>? alone = null)
    {
        while (true)
        {
            if (_flights.TryGetValue(hash, out object? existing))
            {
                if (existing is Flight<TResult> flight && key.AsSpan().SequenceEqual(flight.Key))
                {
                    if (flight.TryJoin())
                    {
                        return flight.WaitAsync(cancellationToken);
                    }

                    // Every waiter has abandoned that flight and its work is being cancelled, or it ended with its first
                    // caller alone and closed: start a fresh one in its place.
                    Remove(hash, flight);
                    continue;
                }

                // A different key under the same digest: run alone.
                return work(context, cancellationToken);
            }

            var created = new Flight<TResult>(this, hash, key, cancellationToken);
            if (_flights.TryAdd(hash, created))
            {
                _ = created.RunAsync(context, work, settling, alone);
                return created.WaitAsync(cancellationToken);
            }
        }
    }

    private static int Stripe(CacheKeyHash hash) => hash.GetHashCode() & (EndStripes - 1);

    private void Remove(CacheKeyHash hash, object flight)
    {
        // Counted before it leaves: a caller that then finds no flight of the key sees the count changed.
        Interlocked.Increment(ref _ended[Stripe(hash)]);
        _flights.TryRemove(new KeyValuePair<CacheKeyHash, object>(hash, flight));
    }

    private sealed class Flight<TResult>
    {
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource? _abandoned;
        private readonly SingleFlight _owner;
        private readonly CacheKeyHash _hash;
        private int _waiters = 1;

        /// <remarks>
        /// A first caller whose token cannot be cancelled waits to the end, so the waiters never all give up: its
        /// flight needs no source of cancellation for the work, and makes none.
        /// </remarks>
        public Flight(SingleFlight owner, CacheKeyHash hash, byte[] key, CancellationToken firstCaller)
        {
            _owner = owner;
            _hash = hash;
            Key = key;
            _abandoned = firstCaller.CanBeCanceled ? new CancellationTokenSource() : null;
        }

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

        /// <remarks>
        /// <paramref name="settling"/> names what the work left running after its result (a write-behind): the waiters
        /// get the result at once, and the flight stays in the table, serving later callers of the key, until that is done.
        /// <paramref name="alone"/> is told, before the result is handed over, that nobody joined the first caller and
        /// nobody can any more: the result then reaches that caller alone, which may keep it rather than copy it.
        /// </remarks>
        public async Task RunAsync<TContext>(TContext context, Func<TContext, CancellationToken, ValueTask<TResult>> work, Func<TContext, Task?>? settling, Action<TContext>? alone)
        {
            try
            {
                TResult result = await work(context, _abandoned?.Token ?? CancellationToken.None).ConfigureAwait(false);
                if (settling?.Invoke(context) is { } pending)
                {
                    _completion.TrySetResult(result);
                    await pending.ConfigureAwait(false);
                    _owner.Remove(_hash, this);
                    return;
                }

                _owner.Remove(_hash, this);

                // Closed to late joiners (a caller that found the flight before it left the table fails to join and
                // starts afresh) only when the first caller is still its one waiter.
                if (alone is not null && Interlocked.CompareExchange(ref _waiters, 0, 1) == 1)
                {
                    alone(context);
                }

                _completion.TrySetResult(result);
            }
            catch (OperationCanceledException) when (_abandoned is { IsCancellationRequested: true })
            {
                _owner.Remove(_hash, this);
                _completion.TrySetCanceled(_abandoned.Token);
            }
            catch (Exception exception)
            {
                _owner.Remove(_hash, this);
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
                    // Out of the table first, so a caller that comes now starts a fresh flight rather than finding this one.
                    _owner.Remove(_hash, this);
                    _abandoned?.Cancel();
                }

                throw;
            }
        }
    }
}
