using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LlmCache;

public sealed partial class LlmCacheRuntime
{
    /// <summary>Whether <see cref="Dispose"/> or <see cref="DisposeAsync"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// Waits for its write-behinds (<see cref="LlmCacheOptions.WriteBehind"/>), disposes the stores the runtime owns
    /// (flushing their buffered writes) and empties the memory store. Later calls
    /// of cached methods go straight to their implementation. A store that fails to close is logged, and the others
    /// are still closed.
    /// </summary>
    public void Dispose()
    {
        if (BeginDispose() is not { } state)
        {
            return;
        }

        // The writes run on pool threads and end within their stores' timeouts; none waits for this thread.
        FlushWritesAsync().GetAwaiter().GetResult();
        foreach (ICacheStore store in OwnedStores(state.Options, keep: null))
        {
            CloseStore(store, state.Logger);
        }

        state.Memory.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, closing the stores asynchronously where they can be.</summary>
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose() is not { } state)
        {
            return;
        }

        await FlushWritesAsync().ConfigureAwait(false);
        foreach (ICacheStore store in OwnedStores(state.Options, keep: null))
        {
            await CloseStoreAsync(store, state.Logger).ConfigureAwait(false);
        }

        state.Memory.Dispose();
    }

    /// <summary>Marks the runtime disposed; the configuration to close, or <c>null</c> when it already was.</summary>
    private RuntimeState? BeginDispose()
    {
        lock (_updateLock)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
            return _state;
        }
    }

    /// <summary>Closes the stores that <paramref name="options"/> would have handed to a runtime to own, when no runtime came of them.</summary>
    internal static void CloseOwnedStores(LlmCacheOptions options, ILogger logger)
    {
        foreach (ICacheStore store in OwnedStores(options, keep: null))
        {
            CloseStore(store, logger);
        }
    }

    /// <summary>The stores <paramref name="options"/> registers with <c>disposeWithRuntime</c>, except those <paramref name="keep"/> registers too.</summary>
    private static List<ICacheStore> OwnedStores(LlmCacheOptions options, LlmCacheOptions? keep)
    {
        var owned = new List<ICacheStore>();
        foreach (StoreRegistration registration in options.AllStoreRegistrations())
        {
            if (registration.DisposeWithRuntime && !Contains(owned, registration.Store) && !(keep is not null && Registers(keep, registration.Store)))
            {
                owned.Add(registration.Store);
            }
        }

        return owned;
    }

    private static bool Registers(LlmCacheOptions options, ICacheStore store)
    {
        foreach (StoreRegistration registration in options.AllStoreRegistrations())
        {
            if (ReferenceEquals(registration.Store, store))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="stores"/> holds this very store (stores are identities, whatever their Equals says).</summary>
    private static bool Contains(List<ICacheStore> stores, ICacheStore store) => stores.Exists(s => ReferenceEquals(s, store));

    /// <summary>As <see cref="CloseStore"/>, closing asynchronously where the store can.</summary>
    private static async ValueTask CloseStoreAsync(ICacheStore store, ILogger logger)
    {
        if (store is not IAsyncDisposable asyncDisposable)
        {
            CloseStore(store, logger);
            return;
        }

        try
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LlmCacheLog.StoreCloseFailed(logger, store.Name, exception);
        }
    }

    private static void CloseStore(ICacheStore store, ILogger logger)
    {
        try
        {
            if (store is IDisposable disposable)
            {
                disposable.Dispose();
            }
            else if (store is IAsyncDisposable asyncDisposable)
            {
                // Synchronous callers (Update, Dispose) have no other way to close an async-only store.
                asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception exception)
        {
            LlmCacheLog.StoreCloseFailed(logger, store.Name, exception);
        }
    }
}
