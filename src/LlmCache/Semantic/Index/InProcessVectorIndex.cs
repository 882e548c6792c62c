using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// An <see cref="IVectorIndex"/> in this process's memory. A partition is searched by an exact SIMD scan over its unit
/// vectors, stored side by side; given an <see cref="IApproximateVectorIndexFactory"/>, a partition that reaches
/// <see cref="ApproximateThreshold"/> records is switched to an approximate index, built in the background while the
/// scan goes on serving. The index holds at most <see cref="MaxRecords"/> records and drops the least recently
/// written beyond that; expired records are never found, and are dropped by the next write (at most once a second).
/// </summary>
/// <remarks>
/// Searches run in parallel under a read lock; writes take the write lock, so an approximate index sees one writer and
/// no search during a write. Memory: <see cref="EstimatedBytes"/>.
/// </remarks>
public class InProcessVectorIndex : IVectorIndex, IDisposable
{
    /// <summary>The default <see cref="ApproximateThreshold"/>: where the approximate index's search time falls below the scan's (docs/semantic/vector-index.md).</summary>
    public const int DefaultApproximateThreshold = 2_000;

    // Candidates asked of the approximate index beyond the count wanted, so that expired ones do not leave the answer short.
    private const int ExtraCandidates = 16;

    // Vectors up to this length are normalised on the stack.
    private const int StackDimensions = 1024;

    // Writes made during a background build that are replayed under the write lock; more go in another round outside it.
    private const int CatchUpUnderLock = 256;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<(string Namespace, string Scope), VectorPartition> _partitions = new();

    // Every record once, least recently written first: the bound drops from the front, a rewrite moves to the back.
    private readonly LinkedList<AgeEntry> _ages = new();
    private readonly TimeProvider _time;
    private readonly IApproximateVectorIndexFactory? _approximate;
    private long _sequence;
    private long _earliestExpiryTicks = long.MaxValue;
    private long _nextSweepTicks;
    private bool _disposed;

    /// <summary>Creates an index.</summary>
    /// <param name="maxRecords">The most records kept; the least recently written go first.</param>
    /// <param name="timeProvider">The clock for expiry; the system clock when <c>null</c>.</param>
    /// <param name="approximateIndex">Makes the approximate index of a large partition; <c>null</c> keeps every partition on the exact scan.</param>
    /// <param name="approximateThreshold">The partition size from which <paramref name="approximateIndex"/> is used.</param>
    public InProcessVectorIndex(int maxRecords = 100_000, TimeProvider? timeProvider = null, IApproximateVectorIndexFactory? approximateIndex = null, int approximateThreshold = DefaultApproximateThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(approximateThreshold);
        MaxRecords = maxRecords;
        ApproximateThreshold = approximateThreshold;
        _time = timeProvider ?? TimeProvider.System;
        _approximate = approximateIndex;
    }

    /// <summary>The most records the index keeps.</summary>
    public int MaxRecords { get; }

    /// <summary>The partition size from which an approximate index, when one is configured, replaces the exact scan.</summary>
    public int ApproximateThreshold { get; }

    /// <summary>How many records the index holds, expired ones not yet dropped included.</summary>
    public int Count => Read(static index => index._ages.Count);

    /// <summary>How many partitions are searched by their approximate index.</summary>
    public int ApproximatePartitionCount => Read(static index =>
    {
        int count = 0;
        foreach (VectorPartition partition in index._partitions.Values)
        {
            count += partition.Approximate is null ? 0 : 1;
        }

        return count;
    });

    /// <summary>
    /// An estimate of the memory the index holds, in bytes: vectors (4 bytes per dimension, with the spare room of
    /// growing arrays), ids and texts, bookkeeping, and the approximate indexes. Divide by <see cref="Count"/> for the
    /// cost of one record.
    /// </summary>
    public long EstimatedBytes => Read(static index =>
    {
        long bytes = 0;
        foreach (VectorPartition partition in index._partitions.Values)
        {
            bytes += partition.EstimatedBytes;
        }

        return bytes;
    });

    /// <inheritdoc />
    public ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default) => UpsertManyAsync([record], cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Under one hold of the write lock. A partition that crosses <see cref="ApproximateThreshold"/> within the batch
    /// builds its approximate index from all of its rows once the batch is in, rather than from the row that crossed.
    /// </remarks>
    public ValueTask UpsertManyAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        int longest = 0;
        foreach (VectorRecord record in records)
        {
            ArgumentNullException.ThrowIfNull(record.Namespace);
            ArgumentNullException.ThrowIfNull(record.Scope);
            ArgumentNullException.ThrowIfNull(record.Id);
            ArgumentNullException.ThrowIfNull(record.Text);
            longest = Math.Max(longest, record.Vector.Length);
        }

        float[]? heap = longest > StackDimensions ? new float[longest] : null;
        Span<float> scratch = heap ?? stackalloc float[longest];
        List<(VectorPartition Partition, float[] Vectors, long[] Keys)>? builds = null;
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SweepIfDue(_time.GetUtcNow().UtcTicks);
            VectorPartition? previous = null;
            foreach (VectorRecord record in records)
            {
                Span<float> unit = scratch[..record.Vector.Length];
                Normalize(record.Vector.Span, unit);
                VectorPartition partition = Write(record, unit);
                if (previous is not null && previous != partition)
                {
                    StartBuildIfDue(previous, ref builds);
                }

                previous = partition;
            }

            if (previous is not null)
            {
                StartBuildIfDue(previous, ref builds);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        foreach ((VectorPartition partition, float[] vectors, long[] keys) in builds ?? [])
        {
            _ = Task.Run(() => BuildApproximate(partition, vectors, keys));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string @namespace, string scope, string id, CancellationToken cancellationToken = default)
    {
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_partitions.TryGetValue((@namespace, scope), out VectorPartition? partition) || !partition.TryGetRow(id, out int row))
            {
                return ValueTask.FromResult(false);
            }

            RemoveRow(partition, row);
            return ValueTask.FromResult(true);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var emptied = new List<VectorPartition>();
            foreach (VectorPartition partition in _partitions.Values)
            {
                if (partition.Namespace == @namespace)
                {
                    emptied.Add(partition);
                }
            }

            foreach (VectorPartition partition in emptied)
            {
                DropPartition(partition);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string @namespace, string scope, ReadOnlyMemory<float> query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int dimensions = query.Length;
        float[]? heap = dimensions > StackDimensions ? new float[dimensions] : null;
        Span<float> unit = heap ?? stackalloc float[dimensions];
        Normalize(query.Span, unit);
        long nowTicks = _time.GetUtcNow().UtcTicks;
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_partitions.TryGetValue((@namespace, scope), out VectorPartition? partition) || partition.Dimensions != dimensions)
            {
                return ValueTask.FromResult<IReadOnlyList<VectorMatch>>([]);
            }

            // A partition holds at least one record: an emptied one is dropped.
            var best = new TopMatches(Math.Min(count, partition.Count));
            if (partition.Approximate is { } approximate)
            {
                partition.SearchApproximate(approximate, unit, nowTicks, new long[count + ExtraCandidates], best);
            }
            else
            {
                partition.Scan(unit, nowTicks, best);
            }

            var matches = new VectorMatch[best.Count];
            for (int rank = 0; rank < matches.Length; rank++)
            {
                int row = best.Row(rank);
                matches[rank] = new VectorMatch(partition.Id(row), best.Similarity(rank), partition.Text(row));
            }

            return ValueTask.FromResult<IReadOnlyList<VectorMatch>>(matches);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Releases the approximate indexes' memory; the index cannot be used afterwards.</summary>
    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (VectorPartition partition in _partitions.Values)
            {
                partition.Drop();
            }

            _partitions.Clear();
            _ages.Clear();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Writes one record; the caller holds the write lock.</summary>
    private VectorPartition Write(VectorRecord record, ReadOnlySpan<float> unit)
    {
        long expiresTicks = record.ExpiresAt?.UtcTicks ?? long.MaxValue;
        var key = (record.Namespace, record.Scope);
        if (_partitions.TryGetValue(key, out VectorPartition? partition) && partition.Dimensions != unit.Length)
        {
            // Vectors of another length come from another embedding model: the old ones can match no new query.
            DropPartition(partition);
            partition = null;
        }

        if (partition is null)
        {
            _partitions[key] = partition = new VectorPartition(record.Namespace, record.Scope, unit.Length);
        }

        long sequence = ++_sequence;
        if (partition.TryGetRow(record.Id, out int row))
        {
            partition.Replace(row, unit, record.Text, expiresTicks, sequence);
            LinkedListNode<AgeEntry> age = partition.Age(row);
            _ages.Remove(age);
            _ages.AddLast(age);
        }
        else
        {
            partition.Add(record.Id, unit, record.Text, expiresTicks, sequence, _ages.AddLast(new AgeEntry(partition, record.Id)));
        }

        _earliestExpiryTicks = Math.Min(_earliestExpiryTicks, expiresTicks);
        while (_ages.Count > MaxRecords)
        {
            RemoveOldest();
        }

        return partition;
    }

    /// <summary>Takes the rows of a partition that has reached the threshold for a background build; the caller holds the write lock.</summary>
    private void StartBuildIfDue(VectorPartition partition, ref List<(VectorPartition, float[], long[])>? builds)
    {
        if (_approximate is not null && !partition.Dropped && !partition.ApproximateStarted && partition.Count >= ApproximateThreshold)
        {
            (float[] vectors, long[] keys) = partition.BeginApproximate();
            (builds ??= []).Add((partition, vectors, keys));
        }
    }

    /// <summary>
    /// Builds a partition's approximate index from a copy of its rows, on a thread-pool thread, while the scan serves.
    /// Nothing else uses the index until it is switched in, so its rows go in through
    /// <see cref="IApproximateVectorIndex.AddMany"/> (in parallel, where the index can). The writes made meanwhile
    /// follow in further rounds outside the lock, until at most <see cref="CatchUpUnderLock"/> are left, which are
    /// replayed under the write lock before searches switch to the index.
    /// </summary>
    private void BuildApproximate(VectorPartition partition, float[] vectors, long[] keys)
    {
        IApproximateVectorIndex? built = null;
        try
        {
            built = _approximate!.Create(partition.Dimensions, keys.Length);
            built.AddMany(keys, vectors);
        }
        catch (Exception)
        {
            // The partition stays on the exact scan, which answers every search correctly, only slower.
            built?.Dispose();
            built = null;
        }

        while (true)
        {
            (float[] Vectors, long[] Keys, long[] Removed) round;
            _lock.EnterWriteLock();
            try
            {
                if (built is null || partition.Dropped || _disposed)
                {
                    built?.Dispose();
                    partition.AbandonApproximate();
                    return;
                }

                if (partition.PendingWrites <= CatchUpUnderLock)
                {
                    partition.CompleteApproximate(built);
                    return;
                }

                round = partition.TakePendingWrites();
            }
            catch (Exception)
            {
                built?.Dispose();
                partition.AbandonApproximate();
                return;
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            try
            {
                foreach (long removed in round.Removed)
                {
                    built.Remove(removed);
                }

                built.AddMany(round.Keys, round.Vectors);
            }
            catch (Exception)
            {
                built.Dispose();
                built = null;
            }
        }
    }

    private void RemoveOldest()
    {
        AgeEntry oldest = _ages.First!.Value;
        oldest.Partition.TryGetRow(oldest.Id, out int row);
        RemoveRow(oldest.Partition, row);
    }

    private void RemoveRow(VectorPartition partition, int row)
    {
        _ages.Remove(partition.Age(row));
        partition.RemoveAt(row);
        if (partition.Count == 0)
        {
            _partitions.Remove((partition.Namespace, partition.Scope));
            partition.Drop();
        }
    }

    private void DropPartition(VectorPartition partition)
    {
        for (int row = 0; row < partition.Count; row++)
        {
            _ages.Remove(partition.Age(row));
        }

        _partitions.Remove((partition.Namespace, partition.Scope));
        partition.Drop();
    }

    /// <summary>Drops every expired record once the earliest expiry has passed, at most once per <see cref="SweepInterval"/>.</summary>
    private void SweepIfDue(long nowTicks)
    {
        if (nowTicks < _earliestExpiryTicks || nowTicks < _nextSweepTicks)
        {
            return;
        }

        _nextSweepTicks = nowTicks + SweepInterval.Ticks;
        long earliest = long.MaxValue;
        foreach (VectorPartition partition in new List<VectorPartition>(_partitions.Values))
        {
            for (int row = partition.Count - 1; row >= 0; row--)
            {
                long expires = partition.ExpiresTicks(row);
                if (nowTicks >= expires)
                {
                    RemoveRow(partition, row);
                }
                else
                {
                    earliest = Math.Min(earliest, expires);
                }
            }
        }

        _earliestExpiryTicks = earliest;
    }

    private T Read<T>(Func<InProcessVectorIndex, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(this);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>A unit-length copy, so a dot product is the cosine similarity; a zero vector stays zero and matches nothing.</summary>
    private static void Normalize(ReadOnlySpan<float> vector, Span<float> unit)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, unit);
        }
        else
        {
            unit.Clear();
        }
    }
}
