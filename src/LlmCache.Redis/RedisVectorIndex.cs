using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmCache.Redis;

/// <summary>
/// An <see cref="IVectorIndex"/> shared by every process that uses the same Redis (one server or a cluster). Redis 7
/// has no vector search, so Redis holds the records (one string key each, with the record's expiry as its native
/// TTL) and a stream of changes, and each process searches an in-process index that a background loop keeps in step
/// with the stream. A process that starts loads the records already in Redis: nothing is embedded again.
/// </summary>
/// <remarks>
/// <para>
/// Searches run against the in-process index. Upserts, removes and namespace clears write Redis first, then the
/// in-process index, then announce the change on the stream. Another process sees it within about
/// <see cref="RedisVectorIndexOptions.PollInterval"/>; an expired record stops being found everywhere at its expiry.
/// </para>
/// <para>
/// Fail-open: a Redis failure or timeout is an exception from the method that met it (every Redis step is bounded by
/// the store's <see cref="RedisCacheStore.OperationTimeout"/>), and a search throws when the loop has not read Redis
/// for longer than <see cref="RedisVectorIndexOptions.MaxStaleness"/>, so the runtime sends the call to the model.
/// The loop itself retries with backoff and logs once per outage. Layout, staleness bounds and memory: docs/stores/redis.md.
/// </para>
/// <para>
/// The index uses the store's connection, timeouts, logger and clock; it does not own the store: dispose the index
/// first, then the store.
/// </para>
/// </remarks>
public sealed class RedisVectorIndex : IVectorIndex, IAsyncDisposable, IDisposable
{
    private const int DigestHexLength = 32;
    private const int FetchChunk = 256;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly RedisCacheStore _store;
    private readonly RedisVectorIndexOptions _options;
    private readonly IVectorIndex _local;
    private readonly bool _ownsLocal;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _streamKey;
    private readonly string _recordPattern;

    // Which records the in-process index holds, by Redis key: what a reload, a namespace clear and the expiry sweep
    // remove. Changed only together with the in-process index, under _applyLock.
    private readonly Dictionary<string, Known> _known = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _startLock = new();
    private Task? _loop;
    private long _sequence;
    private int _count;
    private long _freshAt;
    private Exception? _lastFailure;
    private int _syncDown;
    private int _disposed;

    // The loop's own state, touched by the loop only.
    private RedisValue _position;
    private Reload? _reload;
    private long _lastReloadAt;
    private long _lastSweepAt;

    /// <summary>Creates an index over <paramref name="store"/>'s connection; the loop starts on first use (or <see cref="LoadAsync"/>).</summary>
    /// <param name="store">The store whose connection, <see cref="RedisCacheStore.OperationTimeout"/>, logger and clock the index uses.</param>
    /// <param name="options">Key prefix, stream and sync settings; the defaults when <c>null</c>.</param>
    /// <param name="localIndex">
    /// The in-process index to keep in step, which this index alone may change; an <see cref="ExactVectorIndex"/>
    /// (owned and disposed with this index) when <c>null</c>.
    /// </param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public RedisVectorIndex(RedisCacheStore store, RedisVectorIndexOptions? options = null, IVectorIndex? localIndex = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _options = options?.Clone() ?? new RedisVectorIndexOptions();
        _options.Validate();
        _store = store;
        _ownsLocal = localIndex is null;
        _time = store.Time;
        _local = localIndex ?? new ExactVectorIndex(timeProvider: _time);
        _logger = store.Logger;
        _streamKey = _options.KeyPrefix + "changes";
        _recordPattern = RedisCacheStore.KeyPattern(_options.KeyPrefix, null, DigestHexLength);
    }

    /// <summary>How many records this process's index holds (expired ones drop out within a second).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The prefix of every key this index writes.</summary>
    public string KeyPrefix => _options.KeyPrefix;

    /// <summary>
    /// The Redis key of a record: <c>{KeyPrefix}{namespace}:{32 hex}</c>, the hex digits the first half of the SHA-256 of
    /// its scope and id. 32 digits, not the 64 of an entry key, so clearing a <see cref="RedisCacheStore"/> never matches it.
    /// </summary>
    public string GetRedisKey(string @namespace, string scope, string id)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(scope.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", scope, id)), digest);
        return string.Concat(_options.KeyPrefix, @namespace, ":", Convert.ToHexString(digest.Slice(0, DigestHexLength / 2)).ToLowerInvariant());
    }

    /// <summary>
    /// Starts the background loop if it is not running, and waits until the records already in Redis are loaded
    /// (while Redis is unreachable, until <paramref name="cancellationToken"/> gives up). Optional: the first call of
    /// any other method starts the loop too, and a search waits up to <see cref="RedisVectorIndexOptions.InitialLoadTimeout"/> for the load.
    /// </summary>
    public Task LoadAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return _loaded.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A record already expired is not written, as <see cref="RedisCacheStore.SetAsync"/> does with an expired entry.</remarks>
    public async ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record.Text);
        string key = GetRedisKey(record.Namespace, record.Scope, record.Id);
        cancellationToken.ThrowIfCancellationRequested();
        if (record.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            return;
        }

        EnsureStarted();
        byte[] stored = RedisVectorRecordFormat.Encode(record);
        IDatabase database = await _store.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        using CancellationTokenSource deadline = _store.StartDeadline(cancellationToken);
        try
        {
            await RedisCacheStore.Bounded(_store.WriteAsync(database, key, stored, record.ExpiresAt), deadline.Token).ConfigureAwait(false);
            await ApplyManyAsync([(key, record, RedisVectorRecordFormat.Checksum(stored))]).ConfigureAwait(false);
            await AnnounceAsync(database, deadline.Token, ("op", "u"), ("key", key)).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw _store.TimedOut("semantic record write", key, exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(string @namespace, string scope, string id, CancellationToken cancellationToken = default)
    {
        string key = GetRedisKey(@namespace, scope, id);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();
        IDatabase database = await _store.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        using CancellationTokenSource deadline = _store.StartDeadline(cancellationToken);
        try
        {
            bool wasStored = await ReportingFailure(RedisCacheStore.UnlinkAsync(database, key, deadline.Token)).ConfigureAwait(false);
            bool wasHeld = await ForgetAsync(key).ConfigureAwait(false);
            await AnnounceAsync(database, deadline.Token, ("op", "u"), ("key", key)).ConfigureAwait(false);
            return wasStored || wasHeld;
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw _store.TimedOut("semantic record delete", key, exception);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Scans every primary for the namespace's records and unlinks them grouped by hash slot, then tells the other
    /// processes. Only <paramref name="cancellationToken"/> bounds it. A record written while the clear runs may survive
    /// it, or be left out of other processes' indexes until the next reload.
    /// </remarks>
    public async ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        EnsureStarted();
        IDatabase database = await _store.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        string pattern = RedisCacheStore.KeyPattern(_options.KeyPrefix, @namespace, DigestHexLength);
        await ReportingFailure(_store.UnlinkMatchingAsync(database, pattern, $"clear the semantic records of namespace '{@namespace}'", cancellationToken)).ConfigureAwait(false);
        await ForgetNamespaceAsync(@namespace).ConfigureAwait(false);
        using CancellationTokenSource deadline = _store.StartDeadline(cancellationToken);
        try
        {
            await AnnounceAsync(database, deadline.Token, ("op", "c"), ("ns", @namespace)).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw _store.TimedOut("semantic namespace clear", _streamKey, exception);
        }
    }

    /// <inheritdoc />
    /// <exception cref="TimeoutException">
    /// The loop has not read Redis for longer than <see cref="RedisVectorIndexOptions.MaxStaleness"/> (the inner
    /// exception is its last failure), or the initial load took longer than <see cref="RedisVectorIndexOptions.InitialLoadTimeout"/>.
    /// </exception>
    public async ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string @namespace, string scope, ReadOnlyMemory<float> query, int count, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        if (!IsFresh())
        {
            await WaitForInitialLoadAsync(cancellationToken).ConfigureAwait(false);
            if (!IsFresh())
            {
                long freshAt = Volatile.Read(ref _freshAt);
                string age = freshAt == 0 ? "has not loaded its records from Redis yet" : $"last read Redis {_time.GetElapsedTime(freshAt).TotalMilliseconds:0} ms ago";
                throw new TimeoutException(
                    $"The semantic index over store '{_store.Name}' {age}, longer than its MaxStaleness ({_options.MaxStaleness.TotalMilliseconds:0} ms) allows; it could return removed records.",
                    Volatile.Read(ref _lastFailure));
            }
        }

        return await _local.SearchAsync(@namespace, scope, query, count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the background loop; disposes the in-process index if this index created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Task? loop;
        lock (_startLock)
        {
            loop = _loop;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        if (_ownsLocal && _local is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (_ownsLocal && _local is IDisposable local)
        {
            local.Dispose();
        }
    }

    /// <summary>Stops the background loop; disposes the in-process index if this index created it.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void EnsureStarted()
    {
        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            _loop ??= Task.Run(RunAsync);
        }
    }

    private bool IsFresh()
    {
        long freshAt = Volatile.Read(ref _freshAt);
        return freshAt != 0 && _time.GetElapsedTime(freshAt) <= _options.MaxStaleness;
    }

    /// <summary>Before the first load: waits for it, unless the loop already knows Redis is unreachable (then the search fails at once).</summary>
    private async Task WaitForInitialLoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded.Task.IsCompleted || Volatile.Read(ref _syncDown) == 1)
        {
            return;
        }

        try
        {
            await _loaded.Task.WaitAsync(_options.InitialLoadTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(
                $"The semantic index over store '{_store.Name}' did not load its records from Redis within its InitialLoadTimeout ({_options.InitialLoadTimeout.TotalMilliseconds:0} ms); the load goes on.",
                exception);
        }
    }

    /// <summary>The background loop: reads the stream, reloads when it must, drops expired records, until disposal.</summary>
    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        TimeSpan retryDelay = _options.PollInterval;
        bool gap = true;
        string reason = "initial load";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                IDatabase database = await _store.GetDatabaseAsync(stop).ConfigureAwait(false);
                if (gap)
                {
                    await BeginReloadAsync(database, gap: true, reason, stop).ConfigureAwait(false);
                    gap = false;
                }

                long readAt = _time.GetTimestamp();
                ReadOutcome read = await ReadChangesAsync(database, stop).ConfigureAwait(false);
                if (read == ReadOutcome.Lost)
                {
                    gap = true;
                    reason = "the change stream lost changes this process had not read";
                    continue;
                }

                if (_reload is not null)
                {
                    await ContinueReloadAsync(database, readAt, stop).ConfigureAwait(false);
                }

                if (_reload is not { Gap: true })
                {
                    Volatile.Write(ref _freshAt, readAt);
                }

                MarkRestored();
                retryDelay = _options.PollInterval;
                if (_reload is null && _options.ResyncInterval != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(_lastReloadAt) >= _options.ResyncInterval)
                {
                    await BeginReloadAsync(database, gap: false, "periodic reload", stop).ConfigureAwait(false);
                }

                if (_time.GetElapsedTime(_lastSweepAt) >= SweepInterval)
                {
                    await SweepExpiredAsync().ConfigureAwait(false);
                }

                if (read == ReadOutcome.CaughtUp && _reload is null)
                {
                    await Task.Delay(_options.PollInterval, _time, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                // The store was disposed under the index: nothing more can be read.
                break;
            }
            catch (Exception exception)
            {
                // Whatever failed (connection, timeout, a cluster reconfiguring), the loop retries; a reload in progress
                // starts over, a gap stays a gap.
                if (_reload is not null)
                {
                    gap |= _reload.Gap;
                    reason = _reload.Reason;
                    await _reload.DisposeAsync().ConfigureAwait(false);
                    _reload = null;
                }

                MarkDown(exception);
                try
                {
                    await Task.Delay(retryDelay, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }

        if (_reload is not null)
        {
            await _reload.DisposeAsync().ConfigureAwait(false);
            _reload = null;
        }
    }

    /// <summary>
    /// Starts loading every record. After a gap the loop first announces itself and reads the stream from there,
    /// so every change that lands after the scan started is read again; records the scan does not find are dropped
    /// when it ends.
    /// </summary>
    private async Task BeginReloadAsync(IDatabase database, bool gap, string reason, CancellationToken stop)
    {
        if (_reload is not null)
        {
            // A gap found during a periodic reload: the new reload covers it.
            await _reload.DisposeAsync().ConfigureAwait(false);
            _reload = null;
        }

        long firstSequence = Interlocked.Read(ref _sequence);
        if (gap)
        {
            using CancellationTokenSource deadline = _store.StartDeadline(stop);
            _position = await AnnounceAsync(database, deadline.Token, ("op", "h")).ConfigureAwait(false);
        }

        IAsyncEnumerator<RedisKey> keys = _store.ScanPrimariesAsync(database, _recordPattern, "load the semantic records", stop).GetAsyncEnumerator(stop);
        _reload = new Reload(gap, reason, firstSequence, keys);
    }

    /// <summary>Loads the next chunk of the reload's keys; ends the reload after the last one, a view complete as of <paramref name="readAt"/>.</summary>
    private async Task ContinueReloadAsync(IDatabase database, long readAt, CancellationToken stop)
    {
        Reload reload = _reload!;
        var keys = new List<string>(FetchChunk);
        bool more = true;
        while (keys.Count < FetchChunk && (more = await reload.Keys.MoveNextAsync().ConfigureAwait(false)))
        {
            keys.Add(reload.Keys.Current.ToString());
        }

        Dictionary<string, RedisValue> values = await FetchAsync(database, keys, stop).ConfigureAwait(false);
        reload.Loaded += await RefreshManyAsync(keys, values).ConfigureAwait(false);

        if (more)
        {
            return;
        }

        // What the scan did not find and nothing refreshed since the reload began is gone from Redis.
        await _applyLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var gone = new List<string>();
            foreach (KeyValuePair<string, Known> known in _known)
            {
                if (known.Value.Sequence <= reload.FirstSequence)
                {
                    gone.Add(known.Key);
                }
            }

            foreach (string key in gone)
            {
                await ForgetHeldAsync(key).ConfigureAwait(false);
            }
        }
        finally
        {
            _applyLock.Release();
        }

        await reload.DisposeAsync().ConfigureAwait(false);
        _reload = null;
        _lastReloadAt = _time.GetTimestamp();
        RedisStoreLog.SemanticReloaded(_logger, _store.Name, reload.Loaded, reload.Reason);

        // Fresh before the first searches that waited for the load go on.
        Volatile.Write(ref _freshAt, readAt);
        _loaded.TrySetResult();
    }

    /// <summary>
    /// Reads the changes after the last one read. The read starts at that change itself: when it is no longer the
    /// first entry returned, the stream was trimmed past it (or lost, as with a restarted server) and changes were missed.
    /// </summary>
    private async Task<ReadOutcome> ReadChangesAsync(IDatabase database, CancellationToken stop)
    {
        StreamEntry[] entries;
        using (CancellationTokenSource deadline = _store.StartDeadline(stop))
        {
            entries = await RedisCacheStore.Bounded(database.StreamRangeAsync(_streamKey, _position, "+", _options.ReadBatchSize + 1), deadline.Token).ConfigureAwait(false);
        }

        if (entries.Length == 0 || entries[0].Id != _position)
        {
            return ReadOutcome.Lost;
        }

        var refreshed = new List<string>();
        for (int i = 1; i < entries.Length; i++)
        {
            if (entries[i]["op"] == "u" && entries[i]["key"] is { IsNull: false } key)
            {
                refreshed.Add(key.ToString());
            }
        }

        // Each change names a key; its value is read now, so that whatever the order of changes, the index ends as Redis is.
        Dictionary<string, RedisValue> values = await FetchAsync(database, refreshed, stop).ConfigureAwait(false);
        for (int i = 1; i < entries.Length; i++)
        {
            RedisValue op = entries[i]["op"];
            if (op == "u" && entries[i]["key"] is { IsNull: false } key)
            {
                await RefreshAsync(key.ToString(), values[key.ToString()]).ConfigureAwait(false);
            }
            else if (op == "c" && entries[i]["ns"] is { IsNull: false } @namespace)
            {
                await ForgetNamespaceAsync(@namespace.ToString()).ConfigureAwait(false);
            }
        }

        _position = entries[^1].Id;
        return entries.Length > _options.ReadBatchSize ? ReadOutcome.More : ReadOutcome.CaughtUp;
    }

    /// <summary>The values of <paramref name="keys"/>, read in chunks, each chunk within the operation timeout.</summary>
    private async Task<Dictionary<string, RedisValue>> FetchAsync(IDatabase database, List<string> keys, CancellationToken stop)
    {
        var values = new Dictionary<string, RedisValue>(keys.Count, StringComparer.Ordinal);
        for (int first = 0; first < keys.Count; first += FetchChunk)
        {
            var reads = new List<(string Key, Task<RedisValue> Value)>();
            for (int i = first; i < Math.Min(keys.Count, first + FetchChunk); i++)
            {
                if (!values.ContainsKey(keys[i]))
                {
                    values[keys[i]] = RedisValue.Null;
                    reads.Add((keys[i], database.StringGetAsync(keys[i])));
                }
            }

            using CancellationTokenSource deadline = _store.StartDeadline(stop);
            foreach ((string key, Task<RedisValue> value) in reads)
            {
                values[key] = await RedisCacheStore.Bounded(value, deadline.Token).ConfigureAwait(false);
            }
        }

        return values;
    }

    /// <summary>Makes the in-process index hold what Redis holds under <paramref name="key"/>: the record, or nothing; whether it holds a record.</summary>
    private async Task<bool> RefreshAsync(string key, RedisValue value)
    {
        if (!TryRead(key, value, out VectorRecord record, out ulong checksum))
        {
            await ForgetAsync(key).ConfigureAwait(false);
            return false;
        }

        await ApplyManyAsync([(key, record, checksum)]).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// <see cref="RefreshAsync"/> for a chunk of a reload, its records given to the in-process index in one batch (a
    /// process loading a million records builds its graph from them in one go); how many records it holds.
    /// </summary>
    private async Task<int> RefreshManyAsync(List<string> keys, Dictionary<string, RedisValue> values)
    {
        var records = new List<(string Key, VectorRecord Record, ulong Checksum)>(keys.Count);
        foreach (string key in keys)
        {
            if (TryRead(key, values[key], out VectorRecord record, out ulong checksum))
            {
                records.Add((key, record, checksum));
            }
            else
            {
                await ForgetAsync(key).ConfigureAwait(false);
            }
        }

        await ApplyManyAsync(records).ConfigureAwait(false);
        return records.Count;
    }

    /// <summary>The live record stored under <paramref name="key"/>, if it is one; an unreadable one is logged.</summary>
    private bool TryRead(string key, RedisValue value, out VectorRecord record, out ulong checksum)
    {
        checksum = 0;
        if (value.IsNull)
        {
            record = default;
            return false;
        }

        byte[] stored = (byte[])value!;
        if (!RedisVectorRecordFormat.TryDecode(stored, out record) || GetRedisKey(record.Namespace, record.Scope, record.Id) != key)
        {
            RedisStoreLog.SemanticUnreadableRecord(_logger, _store.Name, key);
            return false;
        }

        if (record.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            return false;
        }

        checksum = RedisVectorRecordFormat.Checksum(stored);
        return true;
    }

    private async Task ApplyManyAsync(List<(string Key, VectorRecord Record, ulong Checksum)> records)
    {
        await _applyLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var changed = new List<VectorRecord>(records.Count);
            foreach ((string key, VectorRecord record, ulong checksum) in records)
            {
                long sequence = Interlocked.Increment(ref _sequence);
                bool held = _known.TryGetValue(key, out Known old);
                _known[key] = new Known(record.Namespace, record.Scope, record.Id, record.ExpiresAt, checksum, sequence);
                if (held && old.Checksum == checksum)
                {
                    // The same bytes: already in the index.
                    continue;
                }

                if (!held)
                {
                    Interlocked.Increment(ref _count);
                }

                changed.Add(record);
            }

            if (changed.Count > 0)
            {
                await _local.UpsertManyAsync(changed).ConfigureAwait(false);
            }
        }
        finally
        {
            _applyLock.Release();
        }
    }

    private async Task<bool> ForgetAsync(string key)
    {
        await _applyLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return await ForgetHeldAsync(key).ConfigureAwait(false);
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Removes one record from the in-process index; the caller holds <see cref="_applyLock"/>.</summary>
    private async Task<bool> ForgetHeldAsync(string key)
    {
        if (!_known.Remove(key, out Known known))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        await _local.RemoveAsync(known.Namespace, known.Scope, known.Id).ConfigureAwait(false);
        return true;
    }

    private async Task ForgetNamespaceAsync(string @namespace)
    {
        await _applyLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var gone = new List<string>();
            foreach (KeyValuePair<string, Known> known in _known)
            {
                if (known.Value.Namespace == @namespace)
                {
                    gone.Add(known.Key);
                }
            }

            foreach (string key in gone)
            {
                _known.Remove(key);
            }

            Interlocked.Add(ref _count, -gone.Count);
            await _local.ClearNamespaceAsync(@namespace).ConfigureAwait(false);
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Frees the memory of expired records; searches skip them from their expiry on anyway.</summary>
    private async Task SweepExpiredAsync()
    {
        _lastSweepAt = _time.GetTimestamp();
        DateTimeOffset now = _time.GetUtcNow();
        await _applyLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var expired = new List<string>();
            foreach (KeyValuePair<string, Known> known in _known)
            {
                if (known.Value.ExpiresAt is { } expires && expires <= now)
                {
                    expired.Add(known.Key);
                }
            }

            foreach (string key in expired)
            {
                await ForgetHeldAsync(key).ConfigureAwait(false);
            }
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Appends a change to the stream, trimmed to about <see cref="RedisVectorIndexOptions.StreamLength"/>; its id.</summary>
    private async Task<RedisValue> AnnounceAsync(IDatabase database, CancellationToken cancellationToken, params (string Name, string Value)[] fields)
    {
        var pairs = new NameValueEntry[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            pairs[i] = new NameValueEntry(fields[i].Name, fields[i].Value);
        }

        Task<RedisValue> add = database.StreamAddAsync(_streamKey, pairs, messageId: null, maxLength: _options.StreamLength, useApproximateMaxLength: true);
        return await ReportingFailure(RedisCacheStore.Bounded(add, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Awaits a Redis command, letting the store report a lost connection (once per outage) before it propagates.</summary>
    private async Task<T> ReportingFailure<T>(Task<T> command)
    {
        try
        {
            return await command.ConfigureAwait(false);
        }
        catch (RedisConnectionException exception)
        {
            _store.ReportConnectionDown(exception);
            throw;
        }
    }

    /// <inheritdoc cref="ReportingFailure{T}(Task{T})"/>
    private async Task ReportingFailure(Task command)
    {
        try
        {
            await command.ConfigureAwait(false);
        }
        catch (RedisConnectionException exception)
        {
            _store.ReportConnectionDown(exception);
            throw;
        }
    }

    private void MarkDown(Exception exception)
    {
        Volatile.Write(ref _lastFailure, exception);
        if (Interlocked.Exchange(ref _syncDown, 1) == 0)
        {
            RedisStoreLog.SemanticSyncLost(_logger, _store.Name, exception.GetType().Name, _options.MaxStaleness.TotalMilliseconds, exception);
        }
    }

    private void MarkRestored()
    {
        if (Interlocked.Exchange(ref _syncDown, 0) == 1)
        {
            Volatile.Write(ref _lastFailure, null);
            RedisStoreLog.SemanticSyncRestored(_logger, _store.Name);
        }
    }

    private enum ReadOutcome
    {
        CaughtUp,
        More,
        Lost,
    }

    /// <summary>What the in-process index holds for one Redis key, and when it was last confirmed (a sequence number).</summary>
    private readonly record struct Known(string Namespace, string Scope, string Id, DateTimeOffset? ExpiresAt, ulong Checksum, long Sequence);

    /// <summary>A reload in progress: the keys still to scan, and the sequence number before which unconfirmed records are gone.</summary>
    private sealed class Reload(bool gap, string reason, long firstSequence, IAsyncEnumerator<RedisKey> keys) : IAsyncDisposable
    {
        public bool Gap { get; } = gap;

        public string Reason { get; } = reason;

        public long FirstSequence { get; } = firstSequence;

        public IAsyncEnumerator<RedisKey> Keys { get; } = keys;

        public int Loaded { get; set; }

        public ValueTask DisposeAsync() => Keys.DisposeAsync();
    }
}
