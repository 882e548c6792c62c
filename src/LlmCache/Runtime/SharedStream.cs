using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// One upstream stream shared by every concurrent caller of one key. The upstream's updates are appended as they
/// arrive and each consumer reads them by position, so a consumer that joins late replays the prefix and then
/// follows live. The list ends complete (stored by the runtime), filled from the cache, or failed.
/// </summary>
/// <remarks>
/// Consumers are counted: one that stops early leaves without disturbing the others, and only when every consumer
/// has left an unfinished stream is its upstream cancelled (through <see cref="Abandoned"/>) and the stream taken
/// out of the table, so the next callers of the key start a fresh one.
/// </remarks>
/// <typeparam name="T">The update type.</typeparam>
internal sealed class SharedStream<T>
{
    private readonly object _lock = new();
    private readonly CancellationTokenSource _abandoned = new();
    private readonly StreamFlights _owner;
    private readonly CacheKeyHash _hash;
    private readonly List<T> _live = new();
    private IReadOnlyList<T> _items;
    private TaskCompletionSource? _changed;
    private ExceptionDispatchInfo? _failure;
    private bool _known;
    private bool _done;
    private int _consumers = 1;

    public SharedStream(StreamFlights owner, CacheKeyHash hash, byte[] key)
    {
        _owner = owner;
        _hash = hash;
        Key = key;
        _items = _live;
    }

    public byte[] Key { get; }

    /// <summary>Cancelled when every consumer has left before the stream ended.</summary>
    public CancellationToken Abandoned => _abandoned.Token;

    /// <summary>The tier the updates came from, or <c>null</c> for the live upstream; read once <see cref="WaitUntilKnownAsync"/> returns.</summary>
    public string? Tier { get; private set; }

    /// <summary>The age of the cached entry the updates came from.</summary>
    public TimeSpan? Age { get; private set; }

    /// <summary>The updates received so far; the complete stream once the upstream has finished.</summary>
    public IReadOnlyList<T> Received => _live;

    /// <summary>Adds one more consumer, unless every consumer has already left.</summary>
    public bool TryJoin()
    {
        int consumers = Volatile.Read(ref _consumers);
        while (consumers > 0)
        {
            int seen = Interlocked.CompareExchange(ref _consumers, consumers + 1, consumers);
            if (seen == consumers)
            {
                return true;
            }

            consumers = seen;
        }

        return false;
    }

    /// <summary>A consumer is done with the stream, having read it to the end or not.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _consumers) == 0 && !IsDone)
        {
            // Out of the table first, so a caller that comes now starts a fresh stream rather than finding this one.
            Withdraw();
            _abandoned.Cancel();
        }
    }

    /// <summary>Takes the stream out of the table: callers that come now look in the cache, or start a fresh stream.</summary>
    public void Withdraw() => _owner.Remove(_hash, this);

    /// <summary>The upstream has started: the updates that follow are live.</summary>
    public void MarkLive()
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            _known = true;
            changed = TakeChanged();
        }

        changed?.TrySetResult();
    }

    /// <summary>One more update from the upstream.</summary>
    public void Append(T item)
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            _live.Add(item);
            changed = TakeChanged();
        }

        changed?.TrySetResult();
    }

    /// <summary>The upstream finished and its updates are stored.</summary>
    public void Complete() => End(null, null, null, null);

    /// <summary>Another call stored the stream meanwhile: it is served from <paramref name="tier"/>.</summary>
    public void CompleteFromCache(IReadOnlyList<T> items, string tier, TimeSpan? age) => End(items, tier, age, null);

    /// <summary>The upstream failed or was cancelled: the consumers see the failure after the updates they have not read yet.</summary>
    public void Fail(Exception exception) => End(null, null, null, ExceptionDispatchInfo.Capture(exception));

    /// <summary>Waits until it is known where the updates come from (live or a cache tier), or the stream has failed.</summary>
    public async ValueTask WaitUntilKnownAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_known)
                {
                    return;
                }

                wait = Changed();
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The update at <paramref name="index"/>, if it has arrived. Otherwise <c>false</c> with a task that completes
    /// when there is news, or with <c>null</c> at the end of the stream. Throws the upstream's failure once every
    /// update before it has been read.
    /// </summary>
    public bool TryRead(int index, out T item, out Task? wait)
    {
        lock (_lock)
        {
            if (index < _items.Count)
            {
                item = _items[index];
                wait = null;
                return true;
            }

            item = default!;
            if (_done)
            {
                _failure?.Throw();
                wait = null;
                return false;
            }

            wait = Changed();
            return false;
        }
    }

    private bool IsDone
    {
        get
        {
            lock (_lock)
            {
                return _done;
            }
        }
    }

    private Task Changed() => (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private TaskCompletionSource? TakeChanged()
    {
        TaskCompletionSource? changed = _changed;
        _changed = null;
        return changed;
    }

    private void End(IReadOnlyList<T>? cached, string? tier, TimeSpan? age, ExceptionDispatchInfo? failure)
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            if (cached is not null)
            {
                _items = cached;
                Tier = tier;
                Age = age;
            }

            _failure = failure;
            _known = _done = true;
            changed = TakeChanged();
        }

        changed?.TrySetResult();
    }
}
