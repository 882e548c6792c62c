using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

public sealed partial class LlmCacheRuntime
{
    private readonly StreamFlights _streams = new();

    /// <summary>How many shared upstream streams for missed keys are running now.</summary>
    internal int StreamsInFlightCount => _streams.Count;

    /// <summary>
    /// Generated code and middleware: a cached stream. Looks the key up in the memory tier, then the remote tier; a
    /// hit replays the stored updates one by one. On a miss the updates of <paramref name="factory"/>'s stream are
    /// passed on as they arrive and stored, as one entry holding the list, only when the stream completes.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Concurrent callers of one key share one upstream stream: each sees every update from the first (a late
    /// joiner replays the updates so far, then follows live). A caller that stops early, or whose token is
    /// cancelled, leaves without disturbing the others; the upstream is cancelled only when every caller has left,
    /// and then nothing is stored. A stream that fails stores nothing, and every caller sees the failure after the
    /// updates before it.
    /// </para>
    /// <para>
    /// Controls, TTLs, namespaces, outcome reporting and fail-open are those of
    /// <see cref="GetOrCreateAsync{TState, T}(CachedMethod{T}, CacheControl, byte[], CacheKeyHash, TState, Func{TState, CancellationToken, ValueTask{T}}, CancellationToken)"/>. The outcome is recorded before the first update is passed on.
    /// </para>
    /// </remarks>
    /// <typeparam name="TState">The arguments for <paramref name="factory"/>.</typeparam>
    /// <typeparam name="T">The update type.</typeparam>
    /// <param name="method">The cached method; its value is the list of updates.</param>
    /// <param name="control">The call's controls.</param>
    /// <param name="key">An exact-length copy of the canonical key bytes, starting with <see cref="WriteKeyHeader"/>'s header.</param>
    /// <param name="hash">The in-process digest of <paramref name="key"/> (<see cref="CacheKeyDigests.ComputeInProcess"/>).</param>
    /// <param name="state">The arguments for <paramref name="factory"/>.</param>
    /// <param name="factory">Opens the upstream stream; its token is cancelled when every caller sharing the stream has left.</param>
    /// <param name="cancellationToken">
    /// Cancels this caller's enumeration, together with a token passed to
    /// <see cref="TaskAsyncEnumerableExtensions.WithCancellation{T}(IAsyncEnumerable{T}, CancellationToken)"/>.
    /// </param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IAsyncEnumerable<T> GetOrCreateStreamAsync<TState, T>(
        CachedMethod<IReadOnlyList<T>> method,
        CacheControl control,
        byte[] key,
        CacheKeyHash hash,
        TState state,
        Func<TState, CancellationToken, IAsyncEnumerable<T>> factory,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        return StreamAsync(method, control, key, hash, state, factory, cancellationToken);
    }

    /// <summary>Generated code: replays a stream found in the memory tier, one update at a time.</summary>
    /// <param name="updates">The stored updates.</param>
    /// <param name="cancellationToken">Cancels the replay, together with a token passed to <c>WithCancellation</c>.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IAsyncEnumerable<T> ReplayStream<T>(IReadOnlyList<T> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return new StreamReplay<T>(updates, cancellationToken);
    }

    private async IAsyncEnumerable<T> StreamAsync<TState, T>(
        CachedMethod<IReadOnlyList<T>> method,
        CacheControl control,
        byte[] key,
        CacheKeyHash hash,
        TState state,
        Func<TState, CancellationToken, IAsyncEnumerable<T>> factory,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IReadOnlyList<T>? hit = null;
        SharedStream<T>? shared = null;
        Activity? activity = null;
        if (ShouldCache(method, in control) && !TryGetCached(method, in control, key, out _, out hit))
        {
            RuntimeState runtime = _state;
            activity = LlmCacheTelemetry.StartLookup(method.Identity, hash);
            try
            {
                string @namespace = ResolveNamespace(runtime, method, control);
                if (!KeyIsInNamespace(key, @namespace))
                {
                    // As in GetOrCreateAsync: an Update changed the namespace after the key header was written.
                    activity?.SetTag(LlmCacheTelemetry.OutcomeTag, "bypassed");
                    control.Outcome?.Record(CacheOutcomeStatus.Bypassed, null, null, hash);
                }
                else
                {
                    var candidate = new SharedStream<T>(_streams, hash, key);
                    var upstream = new StreamUpstream<TState, T>(candidate, state, factory);
                    var miss = new Miss<StreamUpstream<TState, T>, IReadOnlyList<T>>(
                        this, runtime, runtime.GetLayout(method.Type, method), method, control, key, hash, upstream, static (u, ct) => u.RunAsync(ct), @namespace);
                    if (!control.NoCache && await miss.TryGetRemoteAsync(cancellationToken).ConfigureAwait(false) is { } remoteHit)
                    {
                        hit = method.Copier is { } copier ? copier.Copy(remoteHit.Value) : remoteHit.Value;
                        activity?.SetTag(LlmCacheTelemetry.OutcomeTag, "hit").SetTag(LlmCacheTelemetry.TierTag, remoteHit.Tier);
                        control.Outcome?.Record(CacheOutcomeStatus.Hit, remoteHit.Tier, remoteHit.Age, hash);
                    }
                    else
                    {
                        // no-cache asks for a fresh stream: it joins none in flight and none joins it.
                        (shared, bool leads) = control.NoCache ? (candidate, true) : _streams.Join(hash, key, candidate);
                        if (leads)
                        {
                            _ = PumpAsync(shared, miss);
                        }
                    }
                }
            }
            catch (Exception exception)
            {
                LlmCacheTelemetry.Fail(activity, exception);
                activity?.Dispose();
                throw;
            }
        }

        if (shared is null)
        {
            // Caching is off for this call, a tier had the stream, or the namespace changed: the outcome is recorded already.
            activity?.Dispose();
            IAsyncEnumerable<T> updates = hit is null ? factory(state, cancellationToken) : ReplayStream(hit, cancellationToken);
            await foreach (T update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        // The updates of a shared stream are the ones stored: each caller gets its own copies, unless the method shares results.
        var perUpdate = method.Copier as CacheStreamCopier<T>;
        try
        {
            await RecordSharedOutcomeAsync(shared, method, control, hash, activity, cancellationToken).ConfigureAwait(false);
            for (int index = 0; ;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (shared.TryRead(index, out T update, out Task? wait))
                {
                    index++;
                    yield return perUpdate is null ? update : perUpdate.CopyUpdate(update);
                }
                else if (wait is null)
                {
                    break;
                }
                else
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            shared.Leave();
        }
    }

    /// <summary>
    /// Records the outcome of a caller of a shared stream once its source is known (the live upstream, or an entry
    /// another call stored meanwhile), before the first update is passed on, and ends the lookup activity.
    /// </summary>
    private async ValueTask RecordSharedOutcomeAsync<T>(SharedStream<T> shared, CachedMethod<IReadOnlyList<T>> method, CacheControl control, CacheKeyHash hash, Activity? activity, CancellationToken cancellationToken)
    {
        using (activity)
        {
            try
            {
                await shared.WaitUntilKnownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LlmCacheTelemetry.Fail(activity, exception);
                throw;
            }

            if (shared.Tier is null)
            {
                _statistics.Miss(method);
                LlmCacheTelemetry.RecordMiss(method.Identity);
            }

            activity?.SetTag(LlmCacheTelemetry.OutcomeTag, shared.Tier is null ? "miss" : "hit").SetTag(LlmCacheTelemetry.TierTag, shared.Tier);
            control.Outcome?.Record(shared.Tier is null ? CacheOutcomeStatus.Miss : CacheOutcomeStatus.Hit, shared.Tier, shared.Age, hash);
        }
    }

    /// <summary>
    /// Runs the miss of a shared stream: the leader's second look, else the upstream (pumped into
    /// <paramref name="shared"/>) and the store of its updates once it completes.
    /// </summary>
    private static async Task PumpAsync<TState, T>(SharedStream<T> shared, Miss<StreamUpstream<TState, T>, IReadOnlyList<T>> miss)
    {
        try
        {
            FlightResult<IReadOnlyList<T>> result = await miss.RunAsync(shared.Abandoned).ConfigureAwait(false);
            shared.Withdraw();
            if (result.Tier is { } tier)
            {
                shared.CompleteFromCache(result.Value, tier, result.Age);
            }
            else
            {
                shared.Complete();
            }
        }
        catch (Exception exception)
        {
            shared.Withdraw();
            shared.Fail(exception);
        }
    }

    /// <summary>The upstream of one shared stream, as the factory of its <see cref="Miss{TState, T}"/>: it yields the stream's updates as one list.</summary>
    private sealed class StreamUpstream<TState, T>
    {
        private readonly SharedStream<T> _shared;
        private readonly TState _state;
        private readonly Func<TState, CancellationToken, IAsyncEnumerable<T>> _factory;

        public StreamUpstream(SharedStream<T> shared, TState state, Func<TState, CancellationToken, IAsyncEnumerable<T>> factory)
        {
            _shared = shared;
            _state = state;
            _factory = factory;
        }

        public async ValueTask<IReadOnlyList<T>> RunAsync(CancellationToken cancellationToken)
        {
            _shared.MarkLive();
            await foreach (T update in _factory(_state, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                _shared.Append(update);
            }

            // An upstream that stops quietly when cancelled has not completed: what it sent is not the whole stream.
            cancellationToken.ThrowIfCancellationRequested();
            return _shared.Received;
        }
    }
}
