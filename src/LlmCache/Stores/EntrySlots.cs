using System;

namespace LlmCache;

/// <summary>
/// The memory store's entries in a dense array, beside the dictionary that finds them, so an eviction reads them in
/// order. Walking the dictionary instead follows a chain of nodes, one dependent load after another, then a pointer to
/// each entry: most of what a full store's eviction cost. From an array the processor reads many entries at once,
/// since no load waits on another. Adding, removing and copying take a lock; hits never touch the array.
/// </summary>
/// <typeparam name="T">The entry.</typeparam>
internal sealed class EntrySlots<T>
    where T : class
{
    private const int InitialSlots = 16;

    private readonly object _lock = new();
    private T?[] _items = new T?[InitialSlots];
    private int[] _free = new int[InitialSlots];
    private int _freeCount;
    private int _used;

    /// <summary>How many slots have been used (live or free again): the most a <see cref="CopyTo"/> copies.</summary>
    public int Slots
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>Files <paramref name="item"/> in a free slot and returns the slot.</summary>
    public int Add(T item)
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
                    Array.Resize(ref _items, _items.Length * 2);
                    Array.Resize(ref _free, _items.Length);
                }

                slot = _used++;
            }

            _items[slot] = item;
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

    /// <summary>Copies the items into <paramref name="items"/>, in the order of their slots, as many as it holds; returns how many.</summary>
    public int CopyTo(T?[] items)
    {
        lock (_lock)
        {
            int copied = 0;
            for (int slot = 0; slot < _used && copied < items.Length; slot++)
            {
                if (_items[slot] is { } item)
                {
                    items[copied++] = item;
                }
            }

            return copied;
        }
    }
}
