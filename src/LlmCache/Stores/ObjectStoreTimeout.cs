using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The operation timeout of an object store (S3, Azure Blob Storage): each request runs under a token cancelled after
/// the limit or with the caller's token, and a request the limit cancelled (not the caller) throws a
/// <see cref="TimeoutException"/> that names the store, the object and the limit, which the runtime logs and counts.
/// </summary>
internal sealed class ObjectStoreTimeout
{
    // Clearing is not on a call's path: a page of it may take longer than a call's operation.
    private static readonly TimeSpan ClearPageMinimum = TimeSpan.FromSeconds(60);

    private readonly string _store;
    private readonly string _place;

    /// <param name="limit">The store's operation timeout.</param>
    /// <param name="store">The store as a message names it: "S3 store".</param>
    /// <param name="place">Where its objects are, as a message names it: "bucket 'name'".</param>
    public ObjectStoreTimeout(TimeSpan limit, string store, string place)
    {
        Limit = limit;
        _store = store;
        _place = place;
    }

    public TimeSpan Limit { get; }

    /// <summary>The limit of one page of a clear (a listing and its deletions): the larger of <see cref="Limit"/> and 60 s.</summary>
    public TimeSpan ClearPageLimit => Limit > ClearPageMinimum ? Limit : ClearPageMinimum;

    /// <summary>A token source cancelled after <paramref name="limit"/> or with <paramref name="cancellationToken"/>.</summary>
    public static CancellationTokenSource Start(TimeSpan limit, CancellationToken cancellationToken)
    {
        CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        return timeout;
    }

    /// <summary>Runs <paramref name="request"/> on <paramref name="objectName"/> within <see cref="Limit"/>.</summary>
    public Task<TResult> RunAsync<TState, TResult>(string operation, string objectName, TState state, Func<TState, CancellationToken, Task<TResult>> request, CancellationToken cancellationToken) =>
        RunAsync(operation, objectName, Limit, state, request, cancellationToken);

    /// <summary>Runs <paramref name="request"/> on <paramref name="objectName"/> within <paramref name="limit"/>.</summary>
    public async Task<TResult> RunAsync<TState, TResult>(string operation, string objectName, TimeSpan limit, TState state, Func<TState, CancellationToken, Task<TResult>> request, CancellationToken cancellationToken)
    {
        using CancellationTokenSource timeout = Start(limit, cancellationToken);
        try
        {
            return await request(state, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The {_store}'s {operation} of '{objectName}' in {_place} took longer than its timeout ({limit.TotalMilliseconds:0} ms).", exception);
        }
    }
}
