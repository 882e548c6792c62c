using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace LlmCache.Redis;

/// <summary>
/// The write buffer of <see cref="RedisCacheStoreOptions.FlushSize"/> (LiteLLM's <c>redis_flush_size</c>):
/// writes wait here until <c>FlushSize</c> of them are waiting, or the timer fires, or the store is disposed; then
/// they are sent at once, pipelined, one single-key <c>SET … PX</c> each (never a cross-slot <c>MSET</c>).
/// </summary>
/// <remarks>
/// An entry stays readable here until its write has completed, so a read always sees the latest write.
/// One flush runs at a time; removals take the same lock, so a flush cannot write back an entry just removed.
/// A write never waits for that lock: when it is taken, the write stays here for the next flush.
/// Writes that fail are dropped (it is a cache) and the failure is reported, so the buffer stays bounded.
/// </remarks>
internal sealed class RedisWriteBuffer
{
    private readonly RedisCacheStore _store;
    private readonly int _flushSize;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ITimer? _timer;
    private int _unflushed;

    public RedisWriteBuffer(RedisCacheStore store, int flushSize, TimeSpan flushInterval, TimeProvider time)
    {
        _store = store;
        _flushSize = flushSize;
        if (flushInterval != Timeout.InfiniteTimeSpan)
        {
            _timer = time.CreateTimer(static state => ((RedisWriteBuffer)state!).OnTimer(), this, flushInterval, flushInterval);
        }
    }

    public int Count => _pending.Count;

    public bool TryGet(string redisKey, [NotNullWhen(true)] out CacheEntry? entry)
    {
        if (_pending.TryGetValue(redisKey, out Pending? pending))
        {
            entry = pending.Entry;
            return true;
        }

        entry = null;
        return false;
    }

    /// <summary>
    /// Buffers a write. Returns <c>true</c> when it fills the buffer and the flush lock was free: the lock is then
    /// held for the caller, who must call <see cref="FlushHeldAsync"/>. A flush, remove or clear in progress is not
    /// waited for; the next write or timer tick flushes.
    /// </summary>
    public bool Add(string redisKey, string @namespace, CacheEntry entry, byte[] envelope)
    {
        _pending[redisKey] = new Pending(@namespace, entry, envelope);
        return Interlocked.Increment(ref _unflushed) >= _flushSize && _lock.Wait(0);
    }

    /// <summary>Flushes under the lock that <see cref="Add"/> took, and releases it; fails if the flush fails.</summary>
    public async ValueTask FlushHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public bool Remove(string redisKey) => _pending.TryRemove(redisKey, out _);

    /// <summary>Drops the pending writes of <paramref name="namespace"/>, or of every namespace when it is <c>null</c>.</summary>
    public void RemoveNamespace(string? @namespace)
    {
        foreach (KeyValuePair<string, Pending> pair in _pending)
        {
            if (@namespace is null || string.Equals(pair.Value.Namespace, @namespace, StringComparison.Ordinal))
            {
                _pending.TryRemove(pair);
            }
        }
    }

    public async ValueTask<Releaser> LockAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_lock);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        await FlushHeldAsync(cancellationToken).ConfigureAwait(false);
    }

    public void DisposeAndFlush()
    {
        _timer?.Dispose();
        try
        {
            FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            _store.LogFlushFailed(_pending.Count, exception);
        }
    }

    public async ValueTask DisposeAndFlushAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _store.LogFlushFailed(_pending.Count, exception);
        }
    }

    private void OnTimer()
    {
        // A flush already running will take these writes, or the next tick will.
        if (_pending.IsEmpty || !_lock.Wait(0))
        {
            return;
        }

        _ = FlushFromTimerAsync();
    }

    private async Task FlushFromTimerAsync()
    {
        try
        {
            await FlushLockedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _store.LogFlushFailed(_pending.Count, exception);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends the batch; <paramref name="cancellationToken"/> bounds the wait, and the writes given up on are dropped like failed ones.</summary>
    private async Task FlushLockedAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _unflushed, 0);
        if (_pending.IsEmpty)
        {
            return;
        }

        KeyValuePair<string, Pending>[] batch = _pending.ToArray();
        try
        {
            IDatabase database = await _store.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var writes = new Task[batch.Length];
            for (int i = 0; i < batch.Length; i++)
            {
                Pending pending = batch[i].Value;
                writes[i] = _store.WriteAsync(database, batch[i].Key, pending.Envelope, pending.Entry.ExpiresAt);
            }

            await RedisCacheStore.Bounded(Task.WhenAll(writes), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Only the writes sent: an entry replaced meanwhile stays for the next flush.
            foreach (KeyValuePair<string, Pending> pair in batch)
            {
                _pending.TryRemove(pair);
            }
        }
    }

    /// <summary>Releases the flush lock.</summary>
    internal readonly struct Releaser : IDisposable
    {
        private readonly SemaphoreSlim _lock;

        public Releaser(SemaphoreSlim @lock) => _lock = @lock;

        public void Dispose() => _lock.Release();
    }

    private sealed record Pending(string Namespace, CacheEntry Entry, byte[] Envelope);
}
