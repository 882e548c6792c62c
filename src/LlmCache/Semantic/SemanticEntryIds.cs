using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace LlmCache;

/// <summary>
/// The memory entries that semantic records of this process point at, by record id (the remote digest of the exact
/// key): the memory tier is keyed by the canonical key, which a record does not carry. Holds the entry's own key
/// array, so it costs a map slot per entry; ids whose entry the memory store dropped are swept once the map
/// outgrows the store.
/// </summary>
internal sealed class SemanticEntryIds
{
    private const int SweepFloor = 1024;

    private readonly ConcurrentDictionary<string, (CacheKeyHash Hash, byte[] Key)> _ids = new(System.StringComparer.Ordinal);

    public int Count => _ids.Count;

    public void Set(string id, CacheKeyHash hash, byte[] key, MemoryCacheStore memory)
    {
        _ids[id] = (hash, key);
        if (_ids.Count > SweepFloor && _ids.Count > 2 * memory.Count)
        {
            Sweep(memory);
        }
    }

    public bool TryGet(string id, out CacheKeyHash hash, [NotNullWhen(true)] out byte[]? key)
    {
        bool found = _ids.TryGetValue(id, out (CacheKeyHash Hash, byte[] Key) entry);
        (hash, key) = (entry.Hash, entry.Key);
        return found;
    }

    public void Remove(string id) => _ids.TryRemove(id, out _);

    private void Sweep(MemoryCacheStore memory)
    {
        foreach (KeyValuePair<string, (CacheKeyHash Hash, byte[] Key)> pair in _ids)
        {
            if (!memory.TryGet(pair.Value.Hash, pair.Value.Key, null, out object _, out _))
            {
                _ids.TryRemove(pair);
            }
        }
    }
}
