using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The operator's calls: delete one entry, clear a namespace, flush everything (LiteLLM's proxy exposes them as
/// <c>/cache/delete</c> and <c>/cache/flushall</c>). They act on the memory tier and on every store of the current
/// configuration, go straight to each store (no timeout, no breaker: an operator needs to know when entries are
/// still there), try every store even when one fails, and then throw what failed.
/// </summary>
public sealed partial class LlmCacheRuntime
{
    /// <summary>
    /// Removes the entry filed under <paramref name="remoteKey"/> (<see cref="CacheOutcome.RemoteKey"/>) in
    /// <paramref name="namespace"/> from the memory tier and from every store.
    /// </summary>
    /// <remarks>
    /// The memory tier files entries by an in-process digest, so finding one there by its remote key hashes the key
    /// of each of its entries in the namespace: a scan that costs about a microsecond per kilobyte of key per entry.
    /// </remarks>
    /// <param name="remoteKey">The 64 hex characters of <see cref="CacheOutcome.RemoteKey"/>.</param>
    /// <param name="namespace">The entry's namespace (<see cref="CacheOutcome.Namespace"/>); <c>null</c> for the runtime's.</param>
    /// <param name="cancellationToken">Cancels the removal; entries already removed stay removed.</param>
    /// <returns>Whether the memory tier or a store held the entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="remoteKey"/> is not 64 hex characters.</exception>
    /// <exception cref="AggregateException">A store failed; the others were still asked.</exception>
    public async ValueTask<bool> RemoveAsync(string remoteKey, string? @namespace = null, CancellationToken cancellationToken = default)
    {
        byte[] digest = ParseRemoteKey(remoteKey);
        RuntimeState state = _state;
        string ns = @namespace ?? state.Options.Namespace ?? string.Empty;
        StoreIntegrity integrity = state.Integrity;
        bool removed = state.Memory.RemoveWhere(
            (key, entryNamespace) => string.Equals(entryNamespace, ns, StringComparison.Ordinal) && integrity.ComputeRemoteDigest(key).AsSpan().SequenceEqual(digest)) > 0;

        var storeKey = new CacheStoreKey(ns, digest);
        bool removedFromAStore = await ForEachStoreAsync(state, (store, ct) => store.RemoveAsync(storeKey, ct), cancellationToken).ConfigureAwait(false);
        return removed || removedFromAStore;
    }

    /// <summary>Removes every entry of <paramref name="namespace"/> from the memory tier and from every store.</summary>
    /// <exception cref="AggregateException">A store failed; the others were still cleared.</exception>
    public async ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        RuntimeState state = _state;
        await state.Memory.ClearNamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);

        // The semantic indexes would find their records' entries gone and drop them one by one; clearing them saves that.
        await state.Options.Semantic.Index.ClearNamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        if (state.Options.Semantic.SharedIndex is { } shared)
        {
            await shared.ClearNamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false);
        }

        await ForEachStoreAsync(state, async (store, ct) => { await store.ClearNamespaceAsync(@namespace, ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes every entry, in every namespace, from the memory tier and from every store
    /// (<see cref="ICacheStore.ClearAllAsync"/>; keys and objects that are not entries stay).
    /// </summary>
    /// <exception cref="AggregateException">A store failed, or cannot enumerate its entries; the others were still cleared.</exception>
    public async ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
    {
        RuntimeState state = _state;
        state.Memory.Clear();
        await ForEachStoreAsync(state, async (store, ct) => { await store.ClearAllAsync(ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on each store outside the process, once per store, and throws what failed
    /// at the end; returns whether any run returned <c>true</c>.
    /// </summary>
    private static async ValueTask<bool> ForEachStoreAsync(RuntimeState state, Func<ICacheStore, CancellationToken, ValueTask<bool>> operation, CancellationToken cancellationToken)
    {
        bool any = false;
        List<Exception>? failures = null;
        foreach (ICacheStore store in StoresOutsideTheProcess(state))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                any |= await operation(store, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= new List<Exception>()).Add(new InvalidOperationException($"The cache store '{store.Name}' failed: {exception.Message}", exception));
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("LlmCache could not complete the operation on every store; the others were done.", failures);
        }

        return any;
    }

    /// <summary>The stores of the configuration, without their guards, each once (Redis serves both Redis and Dual).</summary>
    private static List<ICacheStore> StoresOutsideTheProcess(RuntimeState state)
    {
        var stores = new List<ICacheStore>();
        foreach (CacheType type in Enum.GetValues<CacheType>())
        {
            if (state.GetLayout(type).Remote is { } remote)
            {
                ICacheStore store = remote is ResilientCacheStore guard ? guard.Inner : remote;
                if (!stores.Contains(store))
                {
                    stores.Add(store);
                }
            }
        }

        foreach (StoreLayout named in state.NamedLayouts)
        {
            ICacheStore store = named.Remote is ResilientCacheStore guard ? guard.Inner : named.Remote!;
            if (!stores.Contains(store))
            {
                stores.Add(store);
            }
        }

        return stores;
    }

    private static byte[] ParseRemoteKey(string remoteKey)
    {
        ArgumentNullException.ThrowIfNull(remoteKey);
        if (remoteKey.Length != 2 * CacheKeyDigests.RemoteLength || remoteKey.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new ArgumentException($"A remote key is {2 * CacheKeyDigests.RemoteLength} hex characters (CacheOutcome.RemoteKey), not '{remoteKey}'.", nameof(remoteKey));
        }

        return Convert.FromHexString(remoteKey);
    }
}
