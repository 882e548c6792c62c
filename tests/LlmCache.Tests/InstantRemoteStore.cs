using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// A remote-tier store whose operations complete at once; it bounds them itself, so the guard arms no timer. It
/// counts its reads without allocating (an allocation test reads through it) and, when asked, records each read's key.
/// </summary>
internal sealed class InstantRemoteStore(bool recordReadKeys = false) : ITimeBoundedCacheStore
{
    public const string TierName = "instant-remote";

    private readonly ConcurrentDictionary<CacheStoreKey, CacheEntry> _entries = new();
    private readonly List<CacheStoreKey> _readKeys = new();
    private int _reads;

    public string Name => TierName;

    public TimeSpan OperationTimeout => TimeSpan.FromSeconds(30);

    /// <summary>How many reads the store has answered.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>The keys of the entries stored.</summary>
    public ICollection<CacheStoreKey> Keys => _entries.Keys;

    /// <summary>The key of each read since the last <see cref="ForgetReadKeys"/>, in order; only with <c>recordReadKeys</c>.</summary>
    public IReadOnlyList<CacheStoreKey> ReadKeys
    {
        get
        {
            lock (_readKeys)
            {
                return _readKeys.ToArray();
            }
        }
    }

    public void ForgetReadKeys()
    {
        lock (_readKeys)
        {
            _readKeys.Clear();
        }
    }

    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        if (recordReadKeys)
        {
            lock (_readKeys)
            {
                _readKeys.Add(key);
            }
        }

        return new(_entries.TryGetValue(key, out CacheEntry? entry) ? entry : null);
    }

    public ValueTask SetAsync(CacheStoreKey key, CacheEntry value, CancellationToken cancellationToken = default)
    {
        _entries[key] = value;
        return default;
    }

    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => new(_entries.TryRemove(key, out _));

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => default;
}
