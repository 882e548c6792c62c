using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmCache;

/// <summary>
/// Makes a store's outage cheap: each get, set and remove gets a timeout (unless the store is an
/// <see cref="ITimeBoundedCacheStore"/>, which bounds them itself, or the <see cref="DiskCacheStore"/>, whose
/// operations run to their end on the caller's thread before they return, so no timer could cut them short), and after
/// <see cref="ResilienceOptions.FailuresBeforeBreak"/> failures in a row a circuit breaker opens, so every
/// operation returns at once as a miss (or does nothing) without touching the store. After
/// <see cref="ResilienceOptions.BreakDuration"/> one operation probes the store; its success closes the breaker.
/// </summary>
/// <remarks>
/// <para>
/// Failures never reach the caller: a failed get is a miss, a failed set or remove does nothing. Each failure is
/// counted (<c>llmcache.store.errors</c>) and logged at debug level; the breaker opening is logged once as an error
/// naming the store, and its closing once as information. Failures that come between successes and so never open
/// the breaker (a disk that is full or read-only: its reads succeed, its writes fail) are logged as one warning with
/// their count, at most once a minute.
/// </para>
/// <para>
/// <see cref="ClearNamespaceAsync"/> and <see cref="ClearAllAsync"/> are explicit administrative calls, not part of
/// a cached call, and may legitimately take long on a big store: they go straight to the store, without timeout or
/// breaker, and their failures reach the caller, who needs to know that the entries are still there.
/// </para>
/// <para>
/// <see cref="LlmCacheRuntime"/> wraps every registered store in one, except the memory store and stores that are
/// already wrapped, with <see cref="LlmCacheOptions.Resilience"/>. Wrap a store yourself to use it elsewhere.
/// </para>
/// </remarks>
public sealed class ResilientCacheStore : ICacheStore
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int Probing = 2;
    private static readonly TimeSpan IntermittentReportInterval = TimeSpan.FromMinutes(1);

    private readonly ICacheStore _inner;
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _timed;
    private readonly object _gate = new();
    private int _state;
    private int _failures;
    private long _probeAfterTicks;
    private int _unreported;
    private long _reportAfterTicks;
    private Failure? _latestFailure;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The store to guard.</param>
    /// <param name="options">Timeout and breaker settings; the defaults when <c>null</c>.</param>
    /// <param name="logger">Where the breaker's opening and closing are logged.</param>
    /// <param name="timeProvider">The clock of the timeouts and the break duration; the system clock by default.</param>
    public ResilientCacheStore(ICacheStore inner, ResilienceOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        options ??= new ResilienceOptions();
        options.Validate();
        _inner = inner;
        _options = options.Clone();
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _timed = inner is not (ITimeBoundedCacheStore or DiskCacheStore);
    }

    /// <summary>The wrapped store's name.</summary>
    public string Name => _inner.Name;

    /// <summary>The wrapped store.</summary>
    public ICacheStore Inner => _inner;

    /// <summary>The breaker's state.</summary>
    public CircuitState State => (CircuitState)Volatile.Read(ref _state);

    internal ResilienceOptions Options => _options;

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
        ResultOf(TryGetAsync(key, cancellationToken));

    /// <summary>
    /// A read that also says whether the store answered: <c>Failed</c> when it failed, timed out or was skipped by
    /// the open breaker, so the runtime does not ask it again within the same miss.
    /// </summary>
    /// <remarks>The store's own read is awaited here directly: a remote hit resumes its caller with no layer in between.</remarks>
    internal ValueTask<(CacheEntry? Entry, bool Failed)> TryGetAsync(CacheStoreKey key, CancellationToken cancellationToken) =>
        RunAsync("read", key, static (store, key, ct) => store.GetAsync(key, ct), static (_, entry) => entry?.Payload.Length, fallback: null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) =>
        await TrySetAsync(key, entry, cancellationToken).ConfigureAwait(false);

    /// <summary>A write that says whether it was made: <c>false</c> when it failed, timed out or was skipped by the open breaker.</summary>
    internal ValueTask<bool> TrySetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ResultOf(RunAsync("write", (key, entry), static (store, args, ct) => SetCoreAsync(store, args.key, args.entry, ct), static (args, _) => args.entry.Payload.Length, fallback: false, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
        ResultOf(RunAsync("delete", key, static (store, key, ct) => store.RemoveAsync(key, ct), payloadBytes: null, fallback: false, cancellationToken));

    /// <inheritdoc />
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) =>
        _inner.ClearNamespaceAsync(@namespace, cancellationToken);

    /// <inheritdoc />
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default) => _inner.ClearAllAsync(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{_inner.Name} (resilient, {State})";

    private static ValueTask<TResult> ResultOf<TResult>(ValueTask<(TResult Result, bool Failed)> run) =>
        run.IsCompletedSuccessfully ? new ValueTask<TResult>(run.Result.Result) : AwaitResultAsync(run);

    private static async ValueTask<TResult> AwaitResultAsync<TResult>(ValueTask<(TResult Result, bool Failed)> run) =>
        (await run.ConfigureAwait(false)).Result;

    private static async ValueTask<bool> SetCoreAsync(ICacheStore store, CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken)
    {
        await store.SetAsync(key, entry, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Runs one operation under the breaker (and the timeout, for a store that does not bound itself); its result, or
    /// the fallback with <c>Failed</c> when it failed, timed out or was skipped. <c>payloadBytes</c> says how many
    /// payload bytes a successful operation moved, for the bytes metric (<c>null</c>: none).
    /// </summary>
    private async ValueTask<(TResult Result, bool Failed)> RunAsync<TArgs, TResult>(
        string operation,
        TArgs args,
        Func<ICacheStore, TArgs, CancellationToken, ValueTask<TResult>> action,
        Func<TArgs, TResult, int?>? payloadBytes,
        TResult fallback,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryEnter(out bool probe))
        {
            return (fallback, true);
        }

        // A store that bounds its own operations needs no second timer, nor does one that is done when it returns.
        CancellationTokenSource? timeout = _timed ? new CancellationTokenSource(_options.StoreTimeout, _time) : null;
        CancellationTokenRegistration link = timeout is null
            ? default
            : cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        // The clock is read only for a listener of the duration: two reads of it were 3% of a remote-tier miss.
        bool timed = LlmCacheTelemetry.StoreDuration.Enabled;
        long started = timed ? _time.GetTimestamp() : 0;
        bool succeeded = false;
        try
        {
            ValueTask<TResult> pending = action(_inner, args, timeout?.Token ?? cancellationToken);
            TResult result = pending.IsCompleted || timeout is null
                ? await pending.ConfigureAwait(false)
                : await pending.AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
            succeeded = true;
            OnSuccess(probe);
            if (payloadBytes?.Invoke(args, result) is { } bytes)
            {
                LlmCacheTelemetry.RecordStoreBytes(_inner.Name, operation, bytes);
            }

            return (result, false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up: that says nothing about the store, so a probe is simply handed back.
            if (probe)
            {
                Volatile.Write(ref _state, Open);
            }

            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception exception)
        {
            Exception failure = exception is OperationCanceledException && timeout is { IsCancellationRequested: true }
                ? new TimeoutException($"The {operation} took longer than the store timeout of {_options.StoreTimeout.TotalMilliseconds} ms.", exception)
                : exception;
            OnFailure(probe, operation, failure);
            return (fallback, true);
        }
        finally
        {
            if (timed)
            {
                LlmCacheTelemetry.RecordStoreOperation(_inner.Name, operation, succeeded, _time.GetElapsedTime(started));
            }

            link.Dispose();
            timeout?.Dispose();
        }
    }

    /// <summary>Whether an operation may go to the store; <paramref name="probe"/> when it is the one probe of an open breaker.</summary>
    private bool TryEnter(out bool probe)
    {
        probe = false;
        switch (Volatile.Read(ref _state))
        {
            case Closed:
                return true;
            case Open when _time.GetUtcNow().UtcTicks >= Volatile.Read(ref _probeAfterTicks):
                probe = Interlocked.CompareExchange(ref _state, Probing, Open) == Open;
                return probe;
            default:
                return false;
        }
    }

    private void OnSuccess(bool probe)
    {
        if (probe)
        {
            lock (_gate)
            {
                Volatile.Write(ref _failures, 0);
                Volatile.Write(ref _state, Closed);
            }

            LlmCacheLog.BreakerClosed(_logger, _inner.Name);
        }
        else if (Volatile.Read(ref _failures) != 0)
        {
            Volatile.Write(ref _failures, 0);
            ReportIntermittentFailures();
        }
    }

    /// <summary>A success ended a run of failures too short to open the breaker: say so, at most once a minute.</summary>
    private void ReportIntermittentFailures()
    {
        long now = _time.GetUtcNow().UtcTicks;
        long due = Volatile.Read(ref _reportAfterTicks);
        if (now < due || Interlocked.CompareExchange(ref _reportAfterTicks, now + IntermittentReportInterval.Ticks, due) != due)
        {
            return;
        }

        int failures = Interlocked.Exchange(ref _unreported, 0);
        if (failures > 0 && Volatile.Read(ref _latestFailure) is { } latest)
        {
            if (_inner is IRemoteConnection connection && connection.IsUnreachable(latest.Exception))
            {
                LlmCacheLog.StoreUnreachableIntermittently(_logger, _inner.Name, failures, latest.Operation, latest.Exception.Message);
            }
            else
            {
                LlmCacheLog.StoreFailingIntermittently(_logger, _inner.Name, failures, latest.Operation, latest.Exception);
            }
        }
    }

    private void OnFailure(bool probe, string operation, Exception exception)
    {
        LlmCacheTelemetry.StoreErrors.Add(1, LlmCacheTelemetry.Tier(_inner.Name));
        LlmCacheLog.StoreOperationFailed(_logger, _inner.Name, operation, exception);
        long probeAfter = (_time.GetUtcNow() + _options.BreakDuration).UtcTicks;
        if (probe)
        {
            // Still down: stay open, quietly, for another break.
            Volatile.Write(ref _probeAfterTicks, probeAfter);
            Volatile.Write(ref _state, Open);
            return;
        }

        int failures = Interlocked.Increment(ref _failures);
        if (failures < _options.FailuresBeforeBreak)
        {
            Volatile.Write(ref _latestFailure, new Failure(operation, exception));
            Interlocked.Increment(ref _unreported);
            return;
        }

        lock (_gate)
        {
            if (Volatile.Read(ref _state) != Closed)
            {
                return;
            }

            Volatile.Write(ref _probeAfterTicks, probeAfter);
            Volatile.Write(ref _state, Open);

            // The failures that led here are reported with the opening.
            Volatile.Write(ref _unreported, 0);
        }

        if (_inner is IRemoteConnection connection && connection.IsUnreachable(exception))
        {
            // An unreachable server is an outage the store reports itself; its stack trace says nothing more.
            LlmCacheLog.BreakerOpenedUnreachable(_logger, _inner.Name, failures, _options.BreakDuration.TotalSeconds, exception.Message);
        }
        else
        {
            LlmCacheLog.BreakerOpened(_logger, _inner.Name, failures, _options.BreakDuration.TotalSeconds, exception);
        }
    }

    private sealed record Failure(string Operation, Exception Exception);
}

/// <summary>The states of a <see cref="ResilientCacheStore"/>'s circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Operations go to the store.</summary>
    Closed = 0,

    /// <summary>Operations return at once without touching the store.</summary>
    Open = 1,

    /// <summary>One operation is probing the store; the others return at once.</summary>
    Probing = 2,
}
