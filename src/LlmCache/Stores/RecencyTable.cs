using System;
using System.Threading;

namespace LlmCache;

/// <summary>
/// The memory store's entries in a dense table, each with its last use and its expiry beside it. An eviction reads
/// these arrays in order, instead of walking the dictionary and following a pointer to every entry: two cache misses
/// an entry, which were most of what a full store's eviction cost. A hit writes the last use with no lock; adding,
/// removing and the eviction's scan take one.
/// </summary>
/// <typeparam name="T">The entry.</typeparam>
internal sealed class RecencyTable<T>
    where T : class
{
    private const int InitialSlots = 16;

    private readonly object _lock = new();
    private T?[] _items = new T?[InitialSlots];
    private long[] _lastUse = new long[InitialSlots];
    private long[] _expiry = new long[InitialSlots];
    private int[] _free = new int[InitialSlots];
    private int _freeCount;
    private int _used;

    /// <summary>How many slots have been used (live or free again): the most a <see cref="Scan"/> copies.</summary>
    public int Slots => Volatile.Read(ref _used);

    /// <summary>Files <paramref name="item"/> in a free slot and returns the slot; before the item is published, so its hits find a slot.</summary>
    public int Add(T item, long lastUse, long expiry)
    {
        lock (_lock)
        {
            int slot;
            if (_freeCount > 0)
            {
                slot = _free[--_freeCount];
            }
            else
            {
                if (_used == _items.Length)
                {
                    Grow();
                }

                slot = _used++;
            }

            _items[slot] = item;
            _lastUse[slot] = lastUse;
            _expiry[slot] = expiry;
            return slot;
        }
    }

    /// <summary>Frees the slot of an item that has left the store; once per item.</summary>
    public void Remove(int slot)
    {
        lock (_lock)
        {
            _items[slot] = null;
            _free[_freeCount++] = slot;
        }
    }

    /// <summary>
    /// A hit: records the use, with no lock. A use racing a growth of the table, or the reuse of a removed item's
    /// slot, can be lost or land on the slot's next item; either only moves an entry in the eviction order.
    /// </summary>
    public void Touch(int slot, long now)
    {
        long[] lastUse = Volatile.Read(ref _lastUse);
        if ((uint)slot < (uint)lastUse.Length)
        {
            Volatile.Write(ref lastUse[slot], now);
        }
    }

    /// <summary>
    /// Copies the items into <paramref name="items"/>: those expired at <paramref name="now"/> from its end back, the
    /// others from its start with their last use in <paramref name="lastUse"/>. Items past the buffer's length are
    /// left out (the newest slots, which an eviction would take last).
    /// </summary>
    /// <returns>How many live items were copied, and where the expired ones start.</returns>
    public (int Live, int ExpiredFrom) Scan(T?[] items, long[] lastUse, long now)
    {
        lock (_lock)
        {
            int live = 0;
            int expiredFrom = items.Length;
            for (int slot = 0; slot < _used && live < expiredFrom; slot++)
            {
                if (_items[slot] is not { } item)
                {
                    continue;
                }

                if (now >= _expiry[slot])
                {
                    items[--expiredFrom] = item;
                }
                else
                {
                    lastUse[live] = Volatile.Read(ref _lastUse[slot]);
                    items[live++] = item;
                }
            }

            return (live, expiredFrom);
        }
    }

    private void Grow()
    {
        int length = _items.Length * 2;
        Array.Resize(ref _items, length);
        Array.Resize(ref _expiry, length);
        Array.Resize(ref _free, length);

        // Published last, so a hit that reads the new array finds every slot the old one had.
        long[] lastUse = new long[length];
        Array.Copy(_lastUse, lastUse, _lastUse.Length);
        Volatile.Write(ref _lastUse, lastUse);
    }
}
