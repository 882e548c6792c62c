using System;
using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LlmCache;

/// <summary>The miss path: the remote tier, the single flight that calls the model once per key, and the writes to the stores.</summary>
public sealed partial class LlmCacheRuntime
{
    /// <summary>
    /// Generated code: the miss path. Looks the key up in the remote tier, if any; on a miss calls
    /// <paramref name="factory"/> once for all concurrent callers with this key, and stores its result.
    /// </summary>
    /// <remarks>
    /// A call whose key header names another namespace than the current configuration (an <see cref="Update"/>
    /// changed it after <see cref="WriteKeyHeader"/>) calls <paramref name="factory"/> without the cache, so an entry
    /// is never filed under a namespace its key does not name.
    /// </remarks>
    /// <param name="method">The cached method.</param>
    /// <param name="control">The call's controls.</param>
    /// <param name="key">An exact-length copy of the canonical key bytes.</param>
    /// <param name="hash">The in-process digest of <paramref name="key"/>, from <see cref="TryGetCached"/>.</param>
    /// <param name="state">The arguments for <paramref name="factory"/>.</param>
    /// <param name="factory">Calls the implementation.</param>
    /// <param name="cancellationToken">Cancels this caller's wait; the shared call is cancelled only when every waiter is.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ValueTask<T> GetOrCreateAsync<TState, T>(
        CachedMethod<T> method,
        CacheControl control,
        byte[] key,
        CacheKeyHash hash,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        CancellationToken cancellationToken) =>
        GetOrCreateCoreAsync(method, control, key, rented: null, key?.Length ?? 0, hash, state, factory, cancellationToken);

    /// <summary>
    /// Generated code: the miss path of <see cref="GetOrCreateAsync{TState, T}(CachedMethod{T}, CacheControl, byte[], CacheKeyHash, TState, Func{TState, CancellationToken, ValueTask{T}}, CancellationToken)"/>,
    /// called while the key is still in the writer's memory. A hit of the remote tier needs the bytes only for their
    /// digest, so they wait in a pooled buffer until the read answers, and only a miss (or a memory tier to fill) makes
    /// the exact-length copy that the single flight and the memory tier keep.
    /// </summary>
    /// <param name="method">The cached method.</param>
    /// <param name="control">The call's controls.</param>
    /// <param name="key">The canonical key bytes; read before this method returns, never kept.</param>
    /// <param name="hash">The in-process digest of <paramref name="key"/>, from <see cref="TryGetCached"/>.</param>
    /// <param name="state">The arguments for <paramref name="factory"/>.</param>
    /// <param name="factory">Calls the implementation.</param>
    /// <param name="cancellationToken">Cancels this caller's wait; the shared call is cancelled only when every waiter is.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ValueTask<T> GetOrCreateAsync<TState, T>(
        CachedMethod<T> method,
        CacheControl control,
        ReadOnlySpan<byte> key,
        CacheKeyHash hash,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        CancellationToken cancellationToken)
    {
        if (control.NoCache || !_state.ReadsRemoteFirst(method))
        {
            return GetOrCreateCoreAsync(method, control, key.ToArray(), rented: null, key.Length, hash, state, factory, cancellationToken);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(key.Length);
        key.CopyTo(rented);
        return GetOrCreateCoreAsync(method, control, key: null, rented, key.Length, hash, state, factory, cancellationToken);
    }

    /// <summary>Both forms of the miss path: the key as an exact copy, or in a <paramref name="rented"/> buffer that this call returns to the pool.</summary>
    private async ValueTask<T> GetOrCreateCoreAsync<TState, T>(
        CachedMethod<T> method,
        CacheControl control,
        byte[]? key,
        byte[]? rented,
        int length,
        CacheKeyHash hash,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        CancellationToken cancellationToken)
    {
        try
        {
            (RuntimeState runtime, string @namespace) = BeginMiss(method, control, key ?? rented, factory);
            using Activity? activity = LlmCacheTelemetry.StartLookup(method.Identity, hash);
            if (!KeyIsInNamespace(key ?? rented.AsSpan(0, length), @namespace) || !runtime.HasStoreOf(method))
            {
                // An Update changed the namespace after this call wrote its key header (storing would file the entry
                // under a namespace its key does not name), or removed the method's named store: this call goes uncached.
                activity?.SetTag(LlmCacheTelemetry.OutcomeTag, "bypassed");
                control.Outcome?.Record(CacheOutcomeStatus.Bypassed, null, null, hash);
                return await factory(state, cancellationToken).ConfigureAwait(false);
            }

            StoreLayout layout = runtime.GetLayout(method.Type, method);
            Miss<TState, T> miss = key is null
                ? new Miss<TState, T>(this, runtime, layout, method, control, rented!, length, hash, state, factory, @namespace)
                : new Miss<TState, T>(this, runtime, layout, method, control, key, hash, state, factory, @namespace);

            // The remote read is awaited here directly, not through TryGetRemoteAsync: a hit resumes this method
            // straight from the store's answer.
            FlightResult<T>? remoteHit = null;
            if (!control.NoCache && miss.StoreKey is { } storeKey)
            {
                miss.NoteFlightsBeforeRead();
                remoteHit = (await miss.ReadRemoteAsync(storeKey, cancellationToken).ConfigureAwait(false)).Hit;
            }

            FlightResult<T> result = remoteHit ?? await CallAsync(miss, control, hash, cancellationToken).ConfigureAwait(false);

            // A remote hit without a memory tier was deserialised for this caller alone, and so is an answer that no
            // other caller shared and no tier keeps as an object: nothing else holds it to copy it from.
            bool owned = (remoteHit is not null && layout.Local is null) || miss.RanAlone;
            return Finish(result, method, control, miss.CopiedKey, miss.ReadKey, hash, @namespace, runtime, activity, match: null, owned);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// How both miss paths (exact and semantic) start: the arguments checked, the configuration this call runs
    /// under (read once, so an <see cref="Update"/> mid-call does not mix two), and the namespace its key header must name.
    /// </summary>
    private (RuntimeState Runtime, string Namespace) BeginMiss<T>(CachedMethod<T> method, CacheControl control, byte[]? key, Delegate factory)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        RuntimeState runtime = _state;
        return (runtime, ResolveNamespace(runtime, method, control));
    }

    /// <summary>
    /// The remote tier's entry for the miss, if any. no-cache asks for a fresh answer, so it reads no store; a remote
    /// hit is served without the single-flight machinery, so only a real miss pays for it.
    /// </summary>
    private ValueTask<FlightResult<T>?> TryGetRemoteAsync<TState, T>(Miss<TState, T> miss, CacheControl control, CancellationToken cancellationToken)
    {
        if (control.NoCache)
        {
            return new ValueTask<FlightResult<T>?>((FlightResult<T>?)null);
        }

        miss.NoteFlightsBeforeRead();
        return miss.TryGetRemoteAsync(cancellationToken);
    }

    /// <summary>Calls the implementation for the miss: once for every concurrent caller of the key, or alone under no-cache, which joins no call in flight.</summary>
    private ValueTask<FlightResult<T>> CallAsync<TState, T>(Miss<TState, T> miss, CacheControl control, CacheKeyHash hash, CancellationToken cancellationToken)
    {
        // Only here is a write-behind covered: the flight serves the key's later callers until the write has landed.
        miss.WritesBehind = miss.Options.WriteBehind;
        if (control.NoCache)
        {
            miss.RanAlone = miss.MayOwnResult;
            return miss.RunAsync(cancellationToken);
        }

        Action<Miss<TState, T>>? alone = miss.MayOwnResult ? static m => m.RanAlone = true : null;
        return _flights.RunAsync(hash, miss.FlightKey, miss, static (m, ct) => m.RunAsync(ct), cancellationToken, static m => m.Stored, alone);
    }

    /// <summary>
    /// Counts, traces and reports what answered a call past the memory lookup (a semantic <paramref name="match"/>
    /// with its similarity and the entry it found), and hands the caller its own copy of the value, unless the value is
    /// already the caller's alone (<c>owned</c>: a remote hit kept nowhere else).
    /// </summary>
    private T Finish<T>(FlightResult<T> result, CachedMethod<T> method, CacheControl control, byte[]? key, CacheStoreKey? readKey, CacheKeyHash hash, string @namespace, RuntimeState runtime, Activity? activity, (double Similarity, string Id)? match, bool owned = false)
    {
        if (result.Tier is null)
        {
            _statistics.Miss(method);
            LlmCacheTelemetry.RecordMiss(method.Identity);
        }
        else if (match is not null && result.Tier == runtime.Memory.Name)
        {
            // A semantic match served from memory; remote hits, semantic or not, are counted where the store is read.
            _statistics.Hit(method, _statistics.Memory);
        }

        activity?.SetTag(LlmCacheTelemetry.OutcomeTag, result.Tier is null ? "miss" : "hit").SetTag(LlmCacheTelemetry.TierTag, result.Tier);
        if (match is { } semantic)
        {
            activity?.SetTag(LlmCacheTelemetry.SimilarityTag, semantic.Similarity);
        }

        if (control.Outcome is { } outcome)
        {
            outcome.Record(result.Tier is null ? CacheOutcomeStatus.Miss : CacheOutcomeStatus.Hit, result.Tier, result.Age, hash);
            if (key is not null)
            {
                outcome.RecordKey(key, @namespace, runtime.Integrity);
            }
            else if (readKey is { } read)
            {
                // A remote hit made no copy of the key bytes: the key it was read under is the remote key.
                outcome.RecordStoreKey(read);
            }

            if (match is { } found)
            {
                outcome.RecordSemanticMatch(found.Similarity, found.Id);
            }
        }

        // The value is the one the memory tier holds, or one that the callers sharing this flight all got: each gets its own.
        return !owned && method.Copier is { } copier && result.Value is { } value ? copier.Copy(value) : result.Value;
    }

    /// <summary>Generated code: the miss path of a method that returns its result synchronously.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T GetOrCreate<TState, T>(CachedMethod<T> method, CacheControl control, byte[] key, CacheKeyHash hash, TState state, Func<TState, T> factory)
    {
        ValueTask<T> pending = GetOrCreateAsync(
            method, control, key, hash, (factory, state), static (s, _) => new ValueTask<T>(s.factory(s.state)), CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Waits until every write-behind under way (<see cref="LlmCacheOptions.WriteBehind"/>) has landed or failed; at
    /// once without it. Writes that misses start meanwhile are waited for too.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait, not the writes.</param>
    public Task FlushWritesAsync(CancellationToken cancellationToken = default) => _writesBehind.WhenNoneAsync(cancellationToken);

    private readonly record struct FlightResult<T>(T Value, string? Tier, TimeSpan? Age);

    /// <summary>One miss: its context travels as one object so the flight's callback needs no closure.</summary>
    private sealed class Miss<TState, T>
    {
        private readonly LlmCacheRuntime _owner;
        private readonly RuntimeState _runtime;
        private readonly StoreLayout _layout;
        private readonly CachedMethod<T> _method;
        private readonly CacheControl _control;
        private readonly CacheKeyHash _hash;
        private readonly TState _state;
        private readonly Func<TState, CancellationToken, ValueTask<T>> _factory;
        private readonly string _namespace;
        private readonly byte[]? _rented;
        private readonly int _rentedLength;
        private byte[]? _key;
        private CacheStoreKey? _storeKey;
        private bool _remoteReadFailed;
        private bool _tierMissCounted;
        private Task? _stored;

        public Miss(LlmCacheRuntime owner, RuntimeState runtime, StoreLayout layout, CachedMethod<T> method, CacheControl control, byte[] key, CacheKeyHash hash, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, string @namespace)
        {
            _owner = owner;
            _runtime = runtime;
            _layout = layout;
            _method = method;
            _control = control;
            _key = key;
            _hash = hash;
            _state = state;
            _factory = factory;
            _namespace = @namespace;
        }

        /// <summary>A miss whose key waits in <paramref name="rented"/>, a pooled buffer its caller returns when the call ends: copied out only when kept.</summary>
        public Miss(LlmCacheRuntime owner, RuntimeState runtime, StoreLayout layout, CachedMethod<T> method, CacheControl control, byte[] rented, int length, CacheKeyHash hash, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, string @namespace)
            : this(owner, runtime, layout, method, control, key: null!, hash, state, factory, @namespace)
        {
            _rented = rented;
            _rentedLength = length;
        }

        /// <summary>
        /// The exact-length key bytes, copied out of the pooled buffer the first time something keeps them (with a
        /// memory tier, the single flight: see <see cref="FlightKey"/>). The memory tier keeps its own copy, in memory
        /// it reuses, so this one dies young.
        /// </summary>
        public byte[] Key => _key ??= _rented.AsSpan(0, _rentedLength).ToArray();

        /// <summary>
        /// What the single flight tells this key's callers apart by. With no memory tier, that is the remote key's
        /// digest: SHA-256 (or HMAC) of the key bytes, namespace header included, under which the store files the
        /// entry anyway, so two keys the flight would join are keys the store could not tell apart either. The miss
        /// then copies nothing that grows with the request. A memory tier keeps the key bytes, and so does its flight.
        /// </summary>
        public byte[] FlightKey => _layout.Local is null && StoreKey?.DigestArray is { } digest ? digest : Key;

        /// <summary>The exact-length key bytes if this miss has them; <c>null</c> for a remote hit or a memory-less miss that never needed a copy.</summary>
        public byte[]? CopiedKey => _key;

        /// <summary>Whether this miss writes its answer in the background (<see cref="LlmCacheOptions.WriteBehind"/>, where a single flight covers it).</summary>
        public bool WritesBehind { get; set; }

        /// <summary>
        /// Whether nothing but this miss's caller can come to hold its answer, if no other caller joins: no memory tier
        /// keeps the object, and no write-behind reads it on another thread after the caller has it.
        /// </summary>
        public bool MayOwnResult => _layout.Local is null && !WritesBehind;

        /// <summary>
        /// Whether the answer is this miss's caller's alone (<see cref="MayOwnResult"/>, and no other caller joined its
        /// call, or it joined none under no-cache): handed over as it is, not copied.
        /// </summary>
        public bool RanAlone { get; set; }

        public LlmCacheOptions Options => _runtime.Options;

        /// <summary>The write-behind of this miss's answer (with the release of its lock, if it took one), or <c>null</c> when it wrote on the caller's path.</summary>
        public Task? Stored => _stored;

        /// <summary>The remote store's key, if the remote tier was read.</summary>
        public CacheStoreKey? ReadKey => _storeKey;

        private ReadOnlySpan<byte> KeyBytes => _key ?? _rented.AsSpan(0, _rentedLength);

        private ILogger Logger => _runtime.Logger;

        /// <summary>
        /// <see cref="SingleFlight.Ended"/> of the key just before this miss read the remote tier; <c>null</c> when it
        /// has not read it (the flight then reads it).
        /// </summary>
        private int? FlightsEndedBeforeRead { get; set; }

        /// <summary>
        /// Whether a flight of this key can have stored its answer since this miss read the remote tier: a caller that
        /// read just before a flight stored finds the answer on a second look. With no flight of the key ended since,
        /// none stored, and the second look (a round trip to the store on every miss) is spared.
        /// </summary>
        private bool FlightMayHaveStored => FlightsEndedBeforeRead is not { } before || _owner._flights.Ended(_hash) != before;

        /// <summary>Called just before this miss's first read of the remote tier: the flight looks again only if a flight of this key ended since.</summary>
        public void NoteFlightsBeforeRead() => FlightsEndedBeforeRead = _owner._flights.Ended(_hash);

        /// <summary>For a semantic method: the embedded call, whose vector record is written beside the entry.</summary>
        public SemanticWrite? Semantic { get; set; }

        /// <summary>
        /// The remote store's key: the SHA-256 (or, with an integrity secret, HMAC) of the canonical key, computed once
        /// and only on an in-process miss. Without a memory tier every call of a key reads the store, so its digest is remembered.
        /// </summary>
        public CacheStoreKey? StoreKey => _layout.Remote is null ? null : _storeKey ??= new CacheStoreKey(
            _namespace,
            _layout.Local is null ? _runtime.Integrity.ComputeRemoteDigest(KeyBytes, _hash) : _runtime.Integrity.ComputeRemoteDigest(KeyBytes));

        public async ValueTask<FlightResult<T>> RunAsync(CancellationToken cancellationToken)
        {
            if (!_control.NoCache)
            {
                // A caller that missed just before the previous flight stored its result finds it here: in the memory
                // tier, which that flight filled, or else in the remote tier. A remote read that just failed is not
                // repeated, so a stalled store costs a miss one timeout, not two.
                if (_layout.Local is { } local)
                {
                    if (local.TryGet(_hash, Key, _control.SMaxAge, out T cached, out TimeSpan age))
                    {
                        return new FlightResult<T>(cached, local.Name, age);
                    }
                }
                else if (!_remoteReadFailed && FlightMayHaveStored && await TryGetRemoteAsync(cancellationToken).ConfigureAwait(false) is { } remoteHit)
                {
                    return remoteHit;
                }
            }

            IAsyncDisposable? lease = null;
            if (!_control.NoCache && _layout.Remote is { } remote && (remote is ResilientCacheStore guard ? guard.Inner : remote) is IDistributedCallLock { IsEnabled: true } callLock)
            {
                (FlightResult<T>? answered, lease) = await AwaitOtherInstancesAsync(callLock, cancellationToken).ConfigureAwait(false);
                if (answered is { } fromAnother)
                {
                    return fromAnother;
                }
            }

            try
            {
                return await CallAndStoreAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (lease is not null)
                {
                    if (_stored is { } stored)
                    {
                        // Other instances wait for this one's answer in the store: the lock is held until it is there.
                        _stored = ReleaseWhenStoredAsync(stored, lease);
                    }
                    else
                    {
                        await ReleaseAsync(lease).ConfigureAwait(false);
                    }
                }
            }
        }

        private async Task ReleaseWhenStoredAsync(Task stored, IAsyncDisposable lease)
        {
            await stored.ConfigureAwait(false);
            await ReleaseAsync(lease).ConfigureAwait(false);
        }

        private async ValueTask<FlightResult<T>> CallAndStoreAsync(CancellationToken cancellationToken)
        {
            T value;
            using (Activity? call = LlmCacheTelemetry.StartCall())
            {
                LlmCacheTelemetry.InFlightCalls.Add(1);
                try
                {
                    value = await _factory(_state, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    LlmCacheTelemetry.Fail(call, exception);
                    throw;
                }
                finally
                {
                    LlmCacheTelemetry.InFlightCalls.Add(-1);
                }
            }

            if (!_control.NoStore && value is not null)
            {
                // The entry's times are the call's, wherever it is written.
                DateTimeOffset now = _runtime.Time.GetUtcNow();
                if (WritesBehind && StoreKey is not null)
                {
                    _owner._writesBehind.Begin();
                    _stored = StoreBehindAsync(value, now);
                }
                else
                {
                    await StoreAsync(value, StoreKey, now).ConfigureAwait(false);
                }
            }

            return new FlightResult<T>(value, null, null);
        }

        /// <summary>
        /// Writes the answer off the caller's path (<see cref="LlmCacheOptions.WriteBehind"/>); never throws: a failure
        /// is counted and logged as a write on the caller's path would be.
        /// </summary>
        private async Task StoreBehindAsync(T value, DateTimeOffset now)
        {
            try
            {
                // Off the caller's path: the answer goes back to it now, the serialising and writing on a pool thread.
                await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                await StoreAsync(value, StoreKey, now).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                RecordError(_layout.Remote!.Name);
                LlmCacheLog.StoreFailed(Logger, _layout.Remote!.Name, "write", exception);
            }
            finally
            {
                _owner._writesBehind.End();
            }
        }

        /// <summary>
        /// Distributed single-flight: takes the store's lock of this key, or waits for the instance that holds it
        /// to store its answer. Returns that answer, or (with the lease when this instance took the lock) nothing,
        /// meaning: call the model. Any trouble with the store ends the wait, so the call goes on without it:
        /// a failed or timed-out lock or read, an open breaker, or a wait of twice the lock's expiry (a holder that
        /// dies keeps the lock at most its expiry; the next one to take it calls the model).
        /// </summary>
        private async ValueTask<(FlightResult<T>? Answer, IAsyncDisposable? Lease)> AwaitOtherInstancesAsync(IDistributedCallLock callLock, CancellationToken cancellationToken)
        {
            if (StoreKey is not { } key || _remoteReadFailed || _layout.Remote is ResilientCacheStore { State: not CircuitState.Closed })
            {
                return (null, null);
            }

            long started = _runtime.Time.GetTimestamp();
            TimeSpan limit = callLock.LockExpiry + callLock.LockExpiry;
            while (true)
            {
                IAsyncDisposable? lease;
                try
                {
                    lease = await callLock.TryAcquireAsync(key, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    RecordError(_layout.Remote!.Name);
                    LlmCacheLog.StoreOperationFailed(Logger, _layout.Remote!.Name, "lock", exception);
                    return (null, null);
                }

                if (lease is not null)
                {
                    // The holder may have stored its answer and released the lock just before this instance took it.
                    if (await TryGetRemoteAsync(cancellationToken).ConfigureAwait(false) is { } stored)
                    {
                        await ReleaseAsync(lease).ConfigureAwait(false);
                        return (stored, null);
                    }

                    return (null, lease);
                }

                await Task.Delay(callLock.PollInterval, _runtime.Time, cancellationToken).ConfigureAwait(false);
                if (await TryGetRemoteAsync(cancellationToken).ConfigureAwait(false) is { } answer)
                {
                    return (answer, null);
                }

                if (_remoteReadFailed || _runtime.Time.GetElapsedTime(started) > limit)
                {
                    return (null, null);
                }
            }
        }

        /// <summary>Releases a single-flight lock; a failure only leaves it to expire.</summary>
        private async ValueTask ReleaseAsync(IAsyncDisposable lease)
        {
            try
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                RecordError(_layout.Remote!.Name);
                LlmCacheLog.StoreOperationFailed(Logger, _layout.Remote!.Name, "unlock", exception);
            }
        }

        /// <summary>Looks the key up in the remote tier, if there is one; a failing store is a miss.</summary>
        public async ValueTask<FlightResult<T>?> TryGetRemoteAsync(CancellationToken cancellationToken) =>
            StoreKey is { } key ? (await ReadRemoteAsync(key, cancellationToken).ConfigureAwait(false)).Hit : null;

        /// <summary>
        /// Reads <paramref name="key"/> from the remote tier: this call's own key, or a semantic match's. A hit fills
        /// the memory tier under this call's key. <c>Absent</c> says the store answered that it holds no live entry.
        /// </summary>
        public async ValueTask<(FlightResult<T>? Hit, bool Absent)> ReadRemoteAsync(CacheStoreKey key, CancellationToken cancellationToken)
        {
            ICacheStore remote = _layout.Remote!;
            CacheValueSerializer<T> serializer = _method.Serializer!;
            using Activity? read = LlmCacheTelemetry.StartStore("read", remote.Name);
            CacheEntry? entry;
            try
            {
                if (remote is ResilientCacheStore guard)
                {
                    (entry, _remoteReadFailed) = await guard.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
                    if (_remoteReadFailed)
                    {
                        // The guard counted and logged the failure for the process; this runtime counts it too.
                        _owner.Statistics.Error(_method, remote.Name);
                    }
                }
                else
                {
                    entry = await remote.GetAsync(key, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _remoteReadFailed = true;
                read?.SetTag(LlmCacheTelemetry.OutcomeTag, "error");
                LlmCacheTelemetry.Fail(read, exception);
                RecordError(remote.Name);
                LlmCacheLog.StoreFailed(Logger, remote.Name, "read", exception);
                return (null, false);
            }

            RuntimeStatistics.Counters tier = _owner.Statistics.Tier(remote.Name);
            if (entry is not null && !_runtime.Integrity.TryOpen(key, entry, out entry))
            {
                CountTierMiss(tier);
                await DeleteCorruptAsync(remote, key, new InvalidDataException(StoreIntegrity.RefusedEntry)).ConfigureAwait(false);
                return (null, true);
            }

            // The clock is read only for an entry to age.
            DateTimeOffset now = entry is null ? default : _runtime.Time.GetUtcNow();
            if (entry is null || entry.IsExpired(now))
            {
                if (!_remoteReadFailed)
                {
                    CountTierMiss(tier);
                }

                read?.SetTag(LlmCacheTelemetry.OutcomeTag, "miss");
                return (null, !_remoteReadFailed);
            }

            T value;
            try
            {
                if (entry.Kind != serializer.Kind)
                {
                    throw new FormatException($"The entry holds a {entry.Kind} payload; {_method.Identity} reads {serializer.Kind}.");
                }

                value = serializer.Deserialize(entry.Payload.Span);
            }
            catch (Exception exception)
            {
                read?.SetTag(LlmCacheTelemetry.OutcomeTag, "corrupt");
                CountTierMiss(tier);
                await DeleteCorruptAsync(remote, key, exception).ConfigureAwait(false);
                return (null, true);
            }

            TimeSpan age = now - entry.CreatedAt;
            if (_control.SMaxAge is { } maxAge && age > maxAge)
            {
                read?.SetTag(LlmCacheTelemetry.OutcomeTag, "stale");
                CountTierMiss(tier);
                return (null, false);
            }

            read?.SetTag(LlmCacheTelemetry.OutcomeTag, "hit");

            if (_layout.Local is { } local && value is not null && TryGetExpiry(_layout.LocalDefaultTtl, now, out DateTimeOffset? localExpiry))
            {
                // The memory tier copies the key: a remote hit needs no exact-length copy of its own.
                local.Set(_hash, KeyBytes, _namespace, value, entry.Payload.Length, entry.CreatedAt, Earliest(entry.ExpiresAt, localExpiry));
            }

            _owner.Statistics.Hit(_method, tier);
            LlmCacheTelemetry.RecordHit(remote.Name, _method.Identity);
            return (new FlightResult<T>(value, remote.Name, age), false);
        }

        private async ValueTask StoreAsync(T value, CacheStoreKey? storeKey, DateTimeOffset now)
        {
            byte[]? payload = null;
            DateTimeOffset? remoteExpiry = null;
            bool remoteStored = false;
            if (storeKey is { } key && TryGetExpiry(_layout.RemoteDefaultTtl, now, out remoteExpiry))
            {
                ICacheStore remote = _layout.Remote!;
                using Activity? write = LlmCacheTelemetry.StartStore("write", remote.Name);
                try
                {
                    payload = _method.Serializer!.Serialize(value);
                    var entry = new CacheEntry(payload, _method.Serializer.Kind, now, remoteExpiry);
                    CacheEntry sealedEntry = _runtime.Integrity.Seal(key, entry);
                    if (remote is ResilientCacheStore guard)
                    {
                        // The guard counts and logs a failure for the process; this runtime counts it too.
                        if (await guard.TrySetAsync(key, sealedEntry, CancellationToken.None).ConfigureAwait(false))
                        {
                            remoteStored = true;
                        }
                        else
                        {
                            _owner.Statistics.Error(_method, remote.Name);
                        }
                    }
                    else
                    {
                        await remote.SetAsync(key, sealedEntry, CancellationToken.None).ConfigureAwait(false);
                        remoteStored = true;
                    }
                }
                catch (Exception exception)
                {
                    LlmCacheTelemetry.Fail(write, exception);
                    RecordError(remote.Name);
                    LlmCacheLog.StoreFailed(Logger, remote.Name, "write", exception);
                }
            }

            if (_layout.Local is { } local && TryGetExpiry(_layout.LocalDefaultTtl, now, out DateTimeOffset? localExpiry))
            {
                // The memory copy never outlives the remote one, or this process would serve what the others no longer can.
                if (storeKey is not null)
                {
                    localExpiry = Earliest(localExpiry, remoteExpiry);
                }

                long size = payload?.Length ?? EstimateSize(value, local);
                local.Set(_hash, Key, _namespace, value, size, now, localExpiry);
                if (Semantic is { } semantic)
                {
                    await semantic.StoredLocallyAsync(_hash, Key, localExpiry).ConfigureAwait(false);
                }
            }

            if (remoteStored && Semantic is { } shared)
            {
                await shared.StoredRemotelyAsync(remoteExpiry).ConfigureAwait(false);
            }
        }

        private async ValueTask DeleteCorruptAsync(ICacheStore remote, CacheStoreKey key, Exception exception)
        {
            LlmCacheTelemetry.CorruptEntries.Add(1, LlmCacheTelemetry.Tier(remote.Name));
            LlmCacheLog.CorruptEntry(Logger, remote.Name, key.Render(null), exception);
            try
            {
                await remote.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception removeFailure)
            {
                RecordError(remote.Name);
                LlmCacheLog.StoreFailed(Logger, remote.Name, "delete an unreadable entry", removeFailure);
            }
        }

        /// <summary>Counts this call's miss in the remote tier once, however often the flight looks again.</summary>
        private void CountTierMiss(RuntimeStatistics.Counters tier)
        {
            if (!_tierMissCounted)
            {
                _tierMissCounted = true;
                RuntimeStatistics.TierMiss(tier);
            }
        }

        /// <summary>Counts a failed store operation for the process (the meter) and for this runtime and method.</summary>
        private void RecordError(string tier)
        {
            LlmCacheTelemetry.StoreErrors.Add(1, LlmCacheTelemetry.Tier(tier));
            _owner.Statistics.Error(_method, tier);
        }

        /// <summary>
        /// The expiry under the call's TTL, else the method's, else the tier's, else the runtime's (see <see cref="CacheTtl"/>);
        /// <c>false</c> when the entry is not to be kept in this tier.
        /// </summary>
        private bool TryGetExpiry(TimeSpan? tierDefault, DateTimeOffset now, out DateTimeOffset? expiresAt) =>
            CacheTtl.TryGetExpiry(_control.Ttl ?? _method.Ttl ?? tierDefault ?? _runtime.Options.DefaultTtl, now, out expiresAt);

        private long EstimateSize(T value, MemoryCacheStore local) => value switch
        {
            string text => (long)text.Length * sizeof(char),
            byte[] bytes => bytes.Length,
            _ => local.AssumedValueSize,
        };

        private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
            a is null ? b : b is null ? a : a < b ? a : b;
    }
}
