using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// An in-process <see cref="IVectorIndex"/> that compares the query with every live record of its partition (a SIMD
/// dot product over unit vectors). Exact, and fast for the partition sizes one prompt template and model produce; it
/// holds at most <see cref="MaxRecords"/> records and drops the oldest beyond that.
/// </summary>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly object _lock = new();
    private readonly Dictionary<(string Namespace, string Scope), Dictionary<string, Row>> _partitions = new();

    // Insertion order for the bound; a replaced or removed row leaves a stale item that eviction skips.
    private readonly Queue<(string Namespace, string Scope, string Id, long Sequence)> _age = new();
    private readonly TimeProvider _time;
    private long _sequence;
    private int _count;

    /// <summary>Creates an index.</summary>
    /// <param name="maxRecords">The most records kept; the oldest go first.</param>
    /// <param name="timeProvider">The clock for expiry; the system clock when <c>null</c>.</param>
    public ExactVectorIndex(int maxRecords = 100_000, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        MaxRecords = maxRecords;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The most records the index keeps.</summary>
    public int MaxRecords { get; }

    /// <summary>How many records the index holds, expired ones not yet dropped included.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record.Namespace);
        ArgumentNullException.ThrowIfNull(record.Scope);
        ArgumentNullException.ThrowIfNull(record.Id);
        ArgumentNullException.ThrowIfNull(record.Text);
        float[] unit = Normalize(record.Vector.Span);
        lock (_lock)
        {
            var key = (record.Namespace, record.Scope);
            if (!_partitions.TryGetValue(key, out Dictionary<string, Row>? partition))
            {
                _partitions[key] = partition = new Dictionary<string, Row>(StringComparer.Ordinal);
            }

            long sequence = ++_sequence;
            if (!partition.ContainsKey(record.Id))
            {
                _count++;
            }

            partition[record.Id] = new Row(unit, record.Text, record.ExpiresAt, sequence);
            _age.Enqueue((record.Namespace, record.Scope, record.Id, sequence));
            while (_count > MaxRecords)
            {
                EvictOldest();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string @namespace, string scope, string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(RemoveRow(@namespace, scope, id));
        }
    }

    /// <inheritdoc />
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        lock (_lock)
        {
            var emptied = new List<(string, string)>();
            foreach (KeyValuePair<(string Namespace, string Scope), Dictionary<string, Row>> partition in _partitions)
            {
                if (partition.Key.Namespace == @namespace)
                {
                    _count -= partition.Value.Count;
                    emptied.Add(partition.Key);
                }
            }

            foreach ((string, string) key in emptied)
            {
                _partitions.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string @namespace, string scope, ReadOnlyMemory<float> query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        float[] unit = Normalize(query.Span);
        DateTimeOffset now = _time.GetUtcNow();
        var best = new List<VectorMatch>(count + 1);
        lock (_lock)
        {
            if (_partitions.TryGetValue((@namespace, scope), out Dictionary<string, Row>? partition))
            {
                foreach (KeyValuePair<string, Row> item in partition)
                {
                    Row row = item.Value;
                    if (row.ExpiresAt is { } expires && now >= expires || row.Vector.Length != unit.Length)
                    {
                        continue;
                    }

                    float similarity = TensorPrimitives.Dot(row.Vector, unit);
                    if (best.Count < count || similarity > best[^1].Similarity)
                    {
                        Insert(best, new VectorMatch(item.Key, similarity, row.Text), count);
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<VectorMatch>>(best);
    }

    private static void Insert(List<VectorMatch> best, VectorMatch match, int count)
    {
        int at = best.Count;
        while (at > 0 && best[at - 1].Similarity < match.Similarity)
        {
            at--;
        }

        best.Insert(at, match);
        if (best.Count > count)
        {
            best.RemoveAt(best.Count - 1);
        }
    }

    private bool RemoveRow(string @namespace, string scope, string id)
    {
        if (!_partitions.TryGetValue((@namespace, scope), out Dictionary<string, Row>? partition) || !partition.Remove(id))
        {
            return false;
        }

        _count--;
        if (partition.Count == 0)
        {
            _partitions.Remove((@namespace, scope));
        }

        return true;
    }

    private void EvictOldest()
    {
        while (_age.TryDequeue(out (string Namespace, string Scope, string Id, long Sequence) oldest))
        {
            if (_partitions.TryGetValue((oldest.Namespace, oldest.Scope), out Dictionary<string, Row>? partition) &&
                partition.TryGetValue(oldest.Id, out Row row) && row.Sequence == oldest.Sequence)
            {
                RemoveRow(oldest.Namespace, oldest.Scope, oldest.Id);
                return;
            }
        }
    }

    /// <summary>A unit-length copy, so a dot product is the cosine similarity; a zero vector stays zero and matches nothing.</summary>
    private static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var unit = vector.ToArray();
        float norm = TensorPrimitives.Norm(unit);
        if (norm > 0)
        {
            TensorPrimitives.Divide(unit, norm, unit);
        }

        return unit;
    }

    private readonly record struct Row(float[] Vector, string Text, DateTimeOffset? ExpiresAt, long Sequence);
}
