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
    /// Disposes the stores the runtime owns (flushing their buffered writes) and empties the memory store. Later calls
    /// of cached methods go straight to their implementation. A store that fails to close is logged, and the others
    /// are still closed.
    /// </summary>
    public void Dispose()
    {
        if (BeginDispose() is not { } state)
        {
            return;
        }

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

        foreach (ICacheStore store in OwnedStores(state.Options, keep: null))
        {
            try
            {
                if (store is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    (store as IDisposable)?.Dispose();
                }
            }
            catch (Exception exception)
            {
                LlmCacheLog.StoreCloseFailed(state.Logger, store.Name, exception);
            }
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

    /// <summary>The stores <paramref name="options"/> registers with <c>disposeWithRuntime</c>, except those <paramref name="keep"/> registers too.</summary>
    private static List<ICacheStore> OwnedStores(LlmCacheOptions options, LlmCacheOptions? keep)
    {
        var owned = new List<ICacheStore>();
        foreach (StoreRegistration registration in options.Stores.Values)
        {
            if (registration.DisposeWithRuntime && !owned.Contains(registration.Store) && !(keep is not null && Registers(keep, registration.Store)))
            {
                owned.Add(registration.Store);
            }
        }

        return owned;
    }

    private static bool Registers(LlmCacheOptions options, ICacheStore store)
    {
        foreach (StoreRegistration registration in options.Stores.Values)
        {
            if (ReferenceEquals(registration.Store, store))
            {
                return true;
            }
        }

        return false;
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
