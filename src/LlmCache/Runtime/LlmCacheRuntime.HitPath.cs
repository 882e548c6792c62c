using System;
using System.ComponentModel;

namespace LlmCache;

/// <summary>The hit path: whether a call uses the cache, and the lock-free memory lookup that generated code makes first.</summary>
public sealed partial class LlmCacheRuntime
{
    /// <summary>Generated code: whether this call uses the cache at all.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool ShouldCache<T>(CachedMethod<T> method, in CacheControl control)
    {
        RuntimeState state = _state;
        if (state.Options.Enabled && !_disposed && !(control.NoCache && control.NoStore) && state.Caches(method.Kind, control.UseCache) && state.HasStoreOf(method))
        {
            return true;
        }

        if (control.Outcome is { } outcome)
        {
            outcome.Reset();
            outcome.Status = CacheOutcomeStatus.Bypassed;
        }

        return false;
    }

    /// <summary>
    /// Generated code: the synchronous hit path. Computes the in-process digest of <paramref name="key"/> and
    /// looks it up in the memory tier; takes no lock, and allocates nothing unless the method copies its values (<see cref="CachedMethod{T}.Copier"/>).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool TryGetCached<T>(CachedMethod<T> method, in CacheControl control, ReadOnlySpan<byte> key, out CacheKeyHash hash, out T value)
    {
        hash = CacheKeyDigests.ComputeInProcess(key);
        // A named store has no memory tier: its methods go straight to the miss path.
        if (control.NoCache || method.Store is not null || _state.GetLayout(method.Type).Local is not { } local)
        {
            value = default!;
            return false;
        }

        // Only a call that reports its outcome keeps the entry's key, whose memory is then never reused (StoredKey).
        if (local.TryGet(hash, key, control.SMaxAge, keepKey: control.Outcome is not null, out value, out TimeSpan age, out StoredKey? storedKey, out string storedNamespace))
        {
            if (method.Copier is { } copier)
            {
                value = copier.Copy(value);
            }

            _statistics.Hit(method, _statistics.Memory);
            LlmCacheTelemetry.RecordHit(local.Name, method.Identity);
            if (control.Outcome is { } outcome)
            {
                outcome.Record(CacheOutcomeStatus.Hit, local.Name, age, hash);
                outcome.RecordKey(storedKey!, storedNamespace, _state.Integrity);
            }

            return true;
        }

        RuntimeStatistics.TierMiss(_statistics.Memory);
        return false;
    }
}
