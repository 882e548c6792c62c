using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The in-process store. It keeps values as objects, so a hit through a generated method allocates nothing and
/// takes no lock; cached values are therefore shared between callers and must be treated as immutable.
/// Bounded by <see cref="MemoryCacheStoreOptions.MaxEntries"/> and <see cref="MemoryCacheStoreOptions.MaxBytes"/>:
/// when either is passed, expired entries go first, then the least recently used, down to 90% of the limits.
/// </summary>
/// <remarks>
/// Entries are found by a seeded 128-bit digest and confirmed by comparing their full canonical key bytes.
/// Towards <see cref="MemoryCacheStoreOptions.MaxBytes"/> an entry counts the memory its key is kept in (at most an
/// eighth more than the key), its value's size (a payload's length, else an estimate) and a fixed overhead. The
/// memory of a removed entry's key is kept for the next entries' keys (<see cref="KeyBufferPool"/>), up to a tenth
/// of each limit and not counted in <see cref="Size"/>, so a full store's misses do not allocate their keys afresh.
/// As an <see cref="ICacheStore"/> (bytes in, bytes out) it also serves as a plain store, for layering and tests.
/// </remarks>
public sealed class MemoryCacheStore : ICacheStore, IDisposable
{
    private const long EntryOverhead = 96;

    private readonly ConcurrentDictionary<CacheKeyHash, Entry> _entries = new();
    private readonly MemoryCacheStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly KeyBufferPool _keys;
    private readonly EntrySlots<Entry> _slots = new();
    private readonly object _evictionLock = new();
    private long[] _evictionRecency = [];
    private Entry?[] _evictionCandidates = [];
    private long _bytes;
    private int _count;
    private volatile bool _disposed;

    /// <summary>Creates a store with default limits.</summary>
    public MemoryCacheStore()
        : this(new MemoryCacheStoreOptions(), TimeProvider.System)
    {
    }

    /// <summary>Creates a store.</summary>
    public MemoryCacheStore(MemoryCacheStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _time = timeProvider ?? TimeProvider.System;

        // A tenth: what one eviction, down to 90% of the limits, frees for the misses after it.
        _keys = new KeyBufferPool(_options.MaxBytes / 10, (_options.MaxEntries / 10) + 1);
    }

    /// <inheritdoc />
    public string Name => "memory";

    /// <summary>The store's default TTL, from its options.</summary>
    public TimeSpan? DefaultTtl => _options.DefaultTtl;

    /// <summary>How many entries the store holds (expired ones included until they are read or evicted).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many bytes the store counts for its entries.</summary>
    public long Size => Interlocked.Read(ref _bytes);

    internal int AssumedValueSize => _options.AssumedValueSize;

    /// <summary>How many bytes of retired keys' memory the store keeps for its next keys.</summary>
    internal long PooledKeyBytes => _keys.Bytes;

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        Span<byte> canonical = stackalloc byte[256];
        int length = WriteStoreKey(key, ref canonical);
        CacheKeyHash hash = CacheKeyDigests.ComputeInProcess(canonical.Slice(0, length));
        return new ValueTask<CacheEntry?>(TryGet(hash, canonical.Slice(0, length), null, out CacheEntry? value, out _) ? value : null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Span<byte> canonical = stackalloc byte[256];
        int length = WriteStoreKey(key, ref canonical);
        ReadOnlySpan<byte> bytes = canonical.Slice(0, length);
        Set(CacheKeyDigests.ComputeInProcess(bytes), bytes, key.Namespace, entry, entry.Payload.Length, entry.CreatedAt, entry.ExpiresAt);
        return default;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
    {
        Span<byte> canonical = stackalloc byte[256];
        int length = WriteStoreKey(key, ref canonical);
        ReadOnlySpan<byte> bytes = canonical.Slice(0, length);
        return new ValueTask<bool>(Remove(CacheKeyDigests.ComputeInProcess(bytes), bytes));
    }

    /// <inheritdoc />
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        foreach (KeyValuePair<CacheKeyHash, Entry> pair in _entries)
        {
            if (string.Equals(pair.Value.Namespace, @namespace, StringComparison.Ordinal))
            {
                RemoveEntry(pair.Value);
            }
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
    {
        Clear();
        return default;
    }

    /// <summary>
    /// Removes the entries whose canonical key <paramref name="match"/> accepts; returns how many. An entry removed
    /// by another thread meanwhile may show <paramref name="match"/> another key's bytes; it is not removed twice.
    /// </summary>
    internal int RemoveWhere(KeyMatch match)
    {
        int removed = 0;
        foreach (KeyValuePair<CacheKeyHash, Entry> pair in _entries)
        {
            if (match(pair.Value.Key.Canonical, pair.Value.Namespace) && RemoveEntry(pair.Value))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        foreach (KeyValuePair<CacheKeyHash, Entry> pair in _entries)
        {
            RemoveEntry(pair.Value);
        }
    }

    /// <summary>Removes every entry; later writes keep nothing (a call still in flight gets its answer, uncached).</summary>
    public void Dispose()
    {
        _disposed = true;
        Clear();
        _keys.Close();
    }

    /// <summary>The hit path: no allocation, no lock.</summary>
    internal bool TryGet<T>(CacheKeyHash hash, ReadOnlySpan<byte> canonicalKey, TimeSpan? sMaxAge, out T value, out TimeSpan age) =>
        TryGet(hash, canonicalKey, sMaxAge, keepKey: false, out value, out age, out _, out _);

    /// <summary>
    /// The hit path, also handing out the entry's namespace and, if <paramref name="keepKey"/>, its own key (which
    /// keeps its remote key once formatted), for <see cref="CacheOutcome.RemoteKey"/>; a kept key's memory is never
    /// reused, so only a caller that will read it asks.
    /// </summary>
    internal bool TryGet<T>(CacheKeyHash hash, ReadOnlySpan<byte> canonicalKey, TimeSpan? sMaxAge, bool keepKey, out T value, out TimeSpan age, out StoredKey? storedKey, out string storedNamespace)
    {
        storedKey = null;
        storedNamespace = string.Empty;
        if (_entries.TryGetValue(hash, out Entry? entry) && canonicalKey.SequenceEqual(entry.Key.Canonical) && entry.Value is T typed)
        {
            long now = _time.GetUtcNow().UtcTicks;
            if (now >= entry.ExpiresAtTicks)
            {
                RemoveEntry(entry);
            }
            else
            {
                age = TimeSpan.FromTicks(Math.Max(0, now - entry.CreatedAtTicks));
                // The compare above may have read another key's bytes if the entry was removed meanwhile (StoredKey).
                if ((sMaxAge is not { } maxAge || age <= maxAge) && (keepKey ? entry.Key.TryKeep() : entry.Key.WasIntact()))
                {
                    Volatile.Write(ref entry.LastAccessTicks, now);
                    value = typed;
                    storedKey = keepKey ? entry.Key : null;
                    storedNamespace = entry.Namespace;
                    return true;
                }
            }
        }

        value = default!;
        age = default;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> under the key, in a copy of <paramref name="canonicalKey"/>.</summary>
    internal void Set<T>(CacheKeyHash hash, ReadOnlySpan<byte> canonicalKey, string @namespace, T value, long valueSize, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
    {
        long expiresTicks = expiresAt?.UtcTicks ?? long.MaxValue;
        long now = _time.GetUtcNow().UtcTicks;
        if (now >= expiresTicks || _disposed)
        {
            // Already expired (a TTL of zero), or the store is disposed: nothing is kept, and the entry under the key stays.
            return;
        }

        byte[] buffer = _keys.Rent(canonicalKey.Length);
        canonicalKey.CopyTo(buffer);
        var entry = new Entry(hash, new StoredKey(buffer, canonicalKey.Length), @namespace, value, createdAt.UtcTicks, expiresTicks, EntryOverhead + buffer.Length + Math.Max(0, valueSize));

        // Recency is this store's own: an entry copied in from another tier was created long ago but used just now.
        entry.LastAccessTicks = now;
        entry.Slot = _slots.Add(entry);
        while (true)
        {
            if (_entries.TryGetValue(hash, out Entry? existing))
            {
                if (_entries.TryUpdate(hash, entry, existing))
                {
                    Interlocked.Add(ref _bytes, entry.Size - existing.Size);
                    Release(existing);
                    break;
                }
            }
            else if (_entries.TryAdd(hash, entry))
            {
                Interlocked.Add(ref _bytes, entry.Size);
                Interlocked.Increment(ref _count);
                break;
            }
        }

        if (_disposed)
        {
            // Dispose ran while this write was adding: its Clear may have missed the entry.
            RemoveEntry(entry);
        }
        else if (Volatile.Read(ref _count) > _options.MaxEntries || Interlocked.Read(ref _bytes) > _options.MaxBytes)
        {
            Evict();
        }
    }

    internal bool Remove(CacheKeyHash hash, ReadOnlySpan<byte> canonicalKey) =>
        _entries.TryGetValue(hash, out Entry? entry) && canonicalKey.SequenceEqual(entry.Key.Canonical) && RemoveEntry(entry);

    private bool RemoveEntry(Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<CacheKeyHash, Entry>(entry.Hash, entry)))
        {
            Interlocked.Add(ref _bytes, -entry.Size);
            Interlocked.Decrement(ref _count);
            Release(entry);
            return true;
        }

        return false;
    }

    /// <summary>
    /// An entry that has left the dictionary: its slot freed, its key retired, and its key's memory kept for the next
    /// key unless a <see cref="CacheOutcome"/> still holds it.
    /// </summary>
    private void Release(Entry entry)
    {
        _slots.Remove(entry.Slot);
        if (entry.Key.Retire() is { } buffer)
        {
            _keys.Return(buffer);
        }
    }

    private void Evict()
    {
        // One evictor at a time; the others go on, the limits are soft for the length of one eviction.
        if (!Monitor.TryEnter(_evictionLock))
        {
            return;
        }

        // The store's own buffers, kept for the next eviction, and the recency copied beside each entry: a list of
        // every entry per eviction would be a large-object array at the default limit (each bringing a gen-2
        // collection nearer), and sorting by a field read through each entry would touch them all again, both on the
        // path of the miss that passed the limit. Not the shared pool, which gives its large arrays up on the gen-2
        // collections of a busy process, so each eviction would allocate them again.
        int capacity = _slots.Slots + 64;
        if (_evictionCandidates.Length < capacity)
        {
            capacity += capacity / 4;
            _evictionRecency = new long[capacity];
            _evictionCandidates = new Entry?[capacity];
        }

        long[] recency = _evictionRecency;
        Entry?[] candidates = _evictionCandidates;
        int copied = 0;
        int found = 0;
        try
        {
            long targetBytes = _options.MaxBytes / 10 * 9;
            int targetCount = Math.Max(1, _options.MaxEntries / 10 * 9);
            long now = _time.GetUtcNow().UtcTicks;

            // The buffers hold every entry there was, and 64 more: entries added past that while this runs wait for
            // the next eviction (the limits are soft).
            copied = _slots.CopyTo(candidates);
            for (int i = 0; i < copied; i++)
            {
                Entry entry = candidates[i]!;
                if (now >= entry.ExpiresAtTicks)
                {
                    RemoveEntry(entry);
                }
                else
                {
                    recency[found] = Volatile.Read(ref entry.LastAccessTicks);
                    candidates[found++] = entry;
                }
            }

            if (Volatile.Read(ref _count) <= targetCount && Interlocked.Read(ref _bytes) <= targetBytes)
            {
                return;
            }

            // Only the bytes limit needs the whole order; for the count the oldest of the excess are found in linear time.
            int excess = Volatile.Read(ref _count) - targetCount;
            if (Interlocked.Read(ref _bytes) > targetBytes || excess >= found)
            {
                Array.Sort(recency, candidates, 0, found);
            }
            else
            {
                MoveOldestFirst(recency, candidates, found, excess);
            }

            for (int i = 0; i < found; i++)
            {
                if (Volatile.Read(ref _count) <= targetCount && Interlocked.Read(ref _bytes) <= targetBytes)
                {
                    break;
                }

                RemoveEntry(candidates[i]!);
            }
        }
        finally
        {
            // Cleared, so the buffer does not keep evicted values alive.
            Array.Clear(candidates, 0, copied);
            Monitor.Exit(_evictionLock);
        }
    }

    /// <summary>
    /// Moves the <paramref name="count"/> least recently used of the first <paramref name="length"/> candidates to the
    /// front, in no particular order among themselves (Hoare's selection).
    /// </summary>
    private static void MoveOldestFirst(long[] recency, Entry?[] candidates, int length, int count)
    {
        int k = count - 1;
        int left = 0;
        int right = length - 1;
        while (left < right)
        {
            long pivot = recency[left + ((right - left) / 2)];
            int i = left;
            int j = right;
            while (i <= j)
            {
                while (recency[i] < pivot)
                {
                    i++;
                }

                while (recency[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (recency[i], recency[j]) = (recency[j], recency[i]);
                    (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return;
            }
        }
    }

    private static int WriteStoreKey(CacheStoreKey key, ref Span<byte> buffer)
    {
        int nsBytes = Encoding.UTF8.GetByteCount(key.Namespace);
        int length = 1 + nsBytes + CacheKeyDigests.RemoteLength;
        if (length > buffer.Length)
        {
            buffer = new byte[length];
        }

        // The byte-level keyspace is kept apart from generated keys by its first byte (generated keys start with a tag).
        buffer[0] = 0xFF;
        Encoding.UTF8.GetBytes(key.Namespace, buffer.Slice(1));
        key.Digest.CopyTo(buffer.Slice(1 + nsBytes));
        return length;
    }

    /// <summary>A test of an entry's canonical key and namespace, for <see cref="RemoveWhere"/>.</summary>
    internal delegate bool KeyMatch(ReadOnlySpan<byte> canonicalKey, string @namespace);

    private sealed class Entry
    {
        public readonly CacheKeyHash Hash;
        public readonly StoredKey Key;
        public readonly string Namespace;
        public readonly object? Value;
        public readonly long CreatedAtTicks;
        public readonly long ExpiresAtTicks;
        public readonly long Size;
        public long LastAccessTicks;

        /// <summary>The entry's slot in the store's <see cref="EntrySlots{T}"/>.</summary>
        public int Slot;

        public Entry(CacheKeyHash hash, StoredKey key, string @namespace, object? value, long createdAtTicks, long expiresAtTicks, long size)
        {
            Hash = hash;
            Key = key;
            Namespace = @namespace;
            Value = value;
            CreatedAtTicks = createdAtTicks;
            ExpiresAtTicks = expiresAtTicks;
            Size = size;
        }
    }
}
