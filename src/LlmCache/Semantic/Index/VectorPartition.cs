using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace LlmCache;

/// <summary>
/// The records of one partition of an <see cref="InProcessVectorIndex"/>, stored as rows: the unit vectors side by side
/// in one float block (a scan reads memory in order), the other fields in parallel arrays. A removed row is replaced by
/// the last one, so rows stay dense. Not thread-safe: the index calls writers under its write lock, readers under its
/// read lock.
/// </summary>
internal sealed class VectorPartition
{
    private const int InitialCapacity = 16;

    // Per row beyond the vector: the five array slots, the two dictionary entries, the age node and the key tuple.
    private const int RowOverheadBytes = 5 * 8 + 2 * 32 + 48 + 32;

    private readonly Dictionary<string, int> _rowById = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _rowByKey = new();
    private float[] _vectors;
    private string[] _ids;
    private string[] _texts;
    private long[] _expires;
    private long[] _keys;
    private LinkedListNode<AgeEntry>[] _ages;
    private long _stringBytes;

    // While the approximate index is built in the background: the writes it has not seen (key, added or removed).
    private List<(long Key, bool Added)>? _pending;

    public VectorPartition(string @namespace, string scope, int dimensions)
    {
        Namespace = @namespace;
        Scope = scope;
        Dimensions = dimensions;
        _vectors = new float[InitialCapacity * dimensions];
        _ids = new string[InitialCapacity];
        _texts = new string[InitialCapacity];
        _expires = new long[InitialCapacity];
        _keys = new long[InitialCapacity];
        _ages = new LinkedListNode<AgeEntry>[InitialCapacity];
    }

    public string Namespace { get; }

    public string Scope { get; }

    public int Dimensions { get; }

    public int Count { get; private set; }

    /// <summary>The approximate index once built; searches use it instead of the scan.</summary>
    public IApproximateVectorIndex? Approximate { get; private set; }

    /// <summary>Whether an approximate index is being built, or has failed to build (the partition then stays exact).</summary>
    public bool ApproximateStarted { get; private set; }

    /// <summary>Set when the partition leaves its index (removed, cleared, replaced): a build that ends later is discarded.</summary>
    public bool Dropped { get; private set; }

    public long EstimatedBytes =>
        (long)_vectors.Length * sizeof(float) + (long)_ids.Length * RowOverheadBytes + _stringBytes + (Approximate?.EstimatedBytes ?? 0);

    public bool TryGetRow(string id, out int row) => _rowById.TryGetValue(id, out row);

    public string Id(int row) => _ids[row];

    public string Text(int row) => _texts[row];

    public long ExpiresTicks(int row) => _expires[row];

    public LinkedListNode<AgeEntry> Age(int row) => _ages[row];

    public ReadOnlySpan<float> Vector(int row) => _vectors.AsSpan(row * Dimensions, Dimensions);

    public void Add(string id, ReadOnlySpan<float> unit, string text, long expiresTicks, long key, LinkedListNode<AgeEntry> age)
    {
        if (Count == _ids.Length)
        {
            Resize(_ids.Length * 2);
        }

        int row = Count++;
        _ids[row] = id;
        _ages[row] = age;
        _rowById[id] = row;
        _stringBytes += StringBytes(id);
        Write(row, unit, text, expiresTicks, key);
    }

    /// <summary>Gives an existing row a new vector, text, expiry and key.</summary>
    public void Replace(int row, ReadOnlySpan<float> unit, string text, long expiresTicks, long key)
    {
        Forget(_keys[row]);
        _stringBytes -= StringBytes(_texts[row]);
        Write(row, unit, text, expiresTicks, key);
    }

    public void RemoveAt(int row)
    {
        Forget(_keys[row]);
        _rowById.Remove(_ids[row]);
        _stringBytes -= StringBytes(_ids[row]) + StringBytes(_texts[row]);
        int last = --Count;
        if (row != last)
        {
            _vectors.AsSpan(last * Dimensions, Dimensions).CopyTo(_vectors.AsSpan(row * Dimensions, Dimensions));
            _ids[row] = _ids[last];
            _texts[row] = _texts[last];
            _expires[row] = _expires[last];
            _keys[row] = _keys[last];
            _ages[row] = _ages[last];
            _rowById[_ids[row]] = row;
            _rowByKey[_keys[row]] = row;
        }

        _ids[last] = null!;
        _texts[last] = null!;
        _ages[last] = null!;
        if (_ids.Length > InitialCapacity && Count < _ids.Length / 4)
        {
            Resize(_ids.Length / 2);
        }
    }

    /// <summary>The rows' scores against <paramref name="unit"/>, live rows only, into <paramref name="best"/>.</summary>
    public void Scan(ReadOnlySpan<float> unit, long nowTicks, TopMatches best)
    {
        ReadOnlySpan<float> vectors = _vectors.AsSpan(0, Count * Dimensions);
        for (int row = 0; row < Count; row++)
        {
            if (nowTicks < _expires[row])
            {
                best.Offer(row, TensorPrimitives.Dot(vectors.Slice(row * Dimensions, Dimensions), unit));
            }
        }
    }

    /// <summary>The approximate index's candidates, live rows only, scored exactly, into <paramref name="best"/>.</summary>
    public void SearchApproximate(IApproximateVectorIndex approximate, ReadOnlySpan<float> unit, long nowTicks, Span<long> candidates, TopMatches best)
    {
        int found = approximate.Search(unit, candidates);
        foreach (long key in candidates[..found])
        {
            if (_rowByKey.TryGetValue(key, out int row) && nowTicks < _expires[row])
            {
                best.Offer(row, TensorPrimitives.Dot(Vector(row), unit));
            }
        }
    }

    /// <summary>A copy of the rows for a background build, from which on the partition logs the writes the copy misses.</summary>
    public (float[] Vectors, long[] Keys) BeginApproximate()
    {
        ApproximateStarted = true;
        _pending = [];
        return (_vectors.AsSpan(0, Count * Dimensions).ToArray(), _keys.AsSpan(0, Count).ToArray());
    }

    /// <summary>How many writes the background build has not seen yet.</summary>
    public int PendingWrites => _pending?.Count ?? 0;

    /// <summary>
    /// The logged writes as a further round of the background build, as the end state of each key they touched: every
    /// such key to remove, then those the partition still holds to add back with their current vectors (so the round
    /// is right whatever the order of a key's writes). From then on the partition logs afresh.
    /// </summary>
    public (float[] Vectors, long[] Keys, long[] Removed) TakePendingWrites()
    {
        var touched = new HashSet<long>();
        var removed = new List<long>();
        var added = new List<long>();
        foreach ((long key, _) in _pending!)
        {
            if (touched.Add(key))
            {
                removed.Add(key);
                if (_rowByKey.ContainsKey(key))
                {
                    added.Add(key);
                }
            }
        }

        var vectors = new float[added.Count * Dimensions];
        for (int i = 0; i < added.Count; i++)
        {
            Vector(_rowByKey[added[i]]).CopyTo(vectors.AsSpan(i * Dimensions, Dimensions));
        }

        _pending = [];
        return (vectors, added.ToArray(), removed.ToArray());
    }

    /// <summary>Brings a built index up to date with the logged writes and switches searches to it.</summary>
    public void CompleteApproximate(IApproximateVectorIndex approximate)
    {
        foreach ((long key, bool added) in _pending!)
        {
            if (!added)
            {
                approximate.Remove(key);
            }
            else if (_rowByKey.TryGetValue(key, out int row))
            {
                approximate.Add(key, Vector(row));
            }
        }

        _pending = null;
        Approximate = approximate;
    }

    /// <summary>A build failed: the partition stays on the exact scan.</summary>
    public void AbandonApproximate() => _pending = null;

    public void Drop()
    {
        Dropped = true;
        _pending = null;
        Approximate?.Dispose();
        Approximate = null;
    }

    private void Write(int row, ReadOnlySpan<float> unit, string text, long expiresTicks, long key)
    {
        unit.CopyTo(_vectors.AsSpan(row * Dimensions, Dimensions));
        _texts[row] = text;
        _expires[row] = expiresTicks;
        _keys[row] = key;
        _rowByKey[key] = row;
        _stringBytes += StringBytes(text);
        if (Approximate is not null)
        {
            Approximate.Add(key, unit);
        }
        else
        {
            _pending?.Add((key, true));
        }
    }

    private void Forget(long key)
    {
        _rowByKey.Remove(key);
        if (Approximate is not null)
        {
            Approximate.Remove(key);
        }
        else
        {
            _pending?.Add((key, false));
        }
    }

    private void Resize(int capacity)
    {
        Array.Resize(ref _vectors, capacity * Dimensions);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _texts, capacity);
        Array.Resize(ref _expires, capacity);
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _ages, capacity);
    }

    // A string's object: header, length and UTF-16 characters.
    private static long StringBytes(string value) => 22 + 2L * value.Length;
}
