using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.VectorIndex.USearch;

/// <summary>
/// One partition's HNSW graph. Inner product over unit vectors (the cosine, without recomputing norms). Not safe for
/// a write beside any other call: <see cref="InProcessVectorIndex"/> calls it under its single-writer lock, as
/// <see cref="IApproximateVectorIndex"/> promises; searches may run together. <see cref="AddMany"/>, called only on a
/// graph being built that nothing else uses, adds on <see cref="USearchIndexOptions.BuildThreads"/> threads: USearch
/// adds concurrently once the capacity is reserved and each adding thread has a context of its own.
/// </summary>
internal sealed unsafe class USearchApproximateIndex : IApproximateVectorIndex
{
    private const int MinimumCapacity = 1024;

    // Distances up to this many results are written on the stack.
    private const int StackResults = 256;

    private readonly USearchHandle _index;
    private readonly int _dimensions;
    private readonly int _buildThreads;

    // A search needs one of the graph's search contexts and fails, rather than waits, when none is free.
    private readonly int _searchContexts = Environment.ProcessorCount;
    private readonly SemaphoreSlim _searchSlots;

    public USearchApproximateIndex(int dimensions, int expectedRecords, USearchIndexOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        _dimensions = dimensions;
        _buildThreads = options.BuildThreads;
        var init = new USearchNative.InitOptions
        {
            MetricKind = USearchNative.MetricInnerProduct,
            Quantization = (uint)options.Quantization,
            Dimensions = (nuint)dimensions,
            Connectivity = (nuint)options.Connectivity,
            ExpansionAdd = (nuint)options.ExpansionAdd,
            ExpansionSearch = (nuint)options.ExpansionSearch,
        };
        _index = USearchHandle.Create(ref init);
        _searchSlots = new SemaphoreSlim(_searchContexts, _searchContexts);
        Reserve((nuint)Math.Max(MinimumCapacity, expectedRecords * 2));
    }

    public long EstimatedBytes
    {
        get
        {
            nuint bytes = USearchNative.MemoryUsage(_index, out IntPtr error);
            USearchNative.Check(error);
            return (long)bytes;
        }
    }

    public void Add(long key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != _dimensions)
        {
            throw new ArgumentException($"The vector has {vector.Length} dimensions; the index holds {_dimensions}.", nameof(vector));
        }

        EnsureCapacity(1);
        IntPtr error;
        fixed (float* data = vector)
        {
            USearchNative.Add(_index, (ulong)key, data, (uint)USearchQuantization.Float32, out error);
        }

        USearchNative.Check(error);
    }

    public void AddMany(ReadOnlyMemory<long> keys, ReadOnlyMemory<float> vectors)
    {
        if (vectors.Length != keys.Length * _dimensions)
        {
            throw new ArgumentException($"{vectors.Length} floats are not {keys.Length} vectors of {_dimensions} dimensions.", nameof(vectors));
        }

        // Concurrent adds need all the room up front (a reserve moves the graph's arrays) and one context per thread.
        EnsureCapacity(keys.Length);
        int threads = Math.Clamp(keys.Length / 64, 1, _buildThreads);
        USearchNative.ChangeThreadsAdd(_index, (nuint)threads, out IntPtr error);
        USearchNative.Check(error);
        using MemoryHandle pinnedKeys = keys.Pin();
        using MemoryHandle pinnedVectors = vectors.Pin();
        var keyData = (IntPtr)pinnedKeys.Pointer;
        var vectorData = (IntPtr)pinnedVectors.Pointer;
        Parallel.For(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            USearchNative.Add(_index, ((ulong*)keyData)[i], (float*)vectorData + (long)i * _dimensions, (uint)USearchQuantization.Float32, out IntPtr added);
            USearchNative.Check(added);
        });
    }

    public void Remove(long key)
    {
        USearchNative.Remove(_index, (ulong)key, out IntPtr error);
        USearchNative.Check(error);
    }

    public int Search(ReadOnlySpan<float> query, Span<long> keys)
    {
        if (query.Length != _dimensions || keys.IsEmpty)
        {
            return 0;
        }

        float[]? heap = keys.Length > StackResults ? new float[keys.Length] : null;
        Span<float> distances = heap ?? stackalloc float[keys.Length];
        nuint found;
        IntPtr error;
        _searchSlots.Wait();
        try
        {
            fixed (float* data = query)
            fixed (long* keyData = keys)
            fixed (float* distanceData = distances)
            {
                found = USearchNative.Search(_index, data, (uint)USearchQuantization.Float32, (nuint)keys.Length, (ulong*)keyData, distanceData, out error);
            }
        }
        finally
        {
            _searchSlots.Release();
        }

        USearchNative.Check(error);
        return (int)found;
    }

    public void Dispose()
    {
        _index.Dispose();
        _searchSlots.Dispose();
    }

    /// <summary>Room for <paramref name="count"/> more vectors, growing by doubling: the C# binding's reserve-one-more on every add makes a build quadratic.</summary>
    private void EnsureCapacity(int count)
    {
        nuint size = USearchNative.Size(_index, out IntPtr error);
        USearchNative.Check(error);
        nuint capacity = USearchNative.Capacity(_index, out error);
        USearchNative.Check(error);
        if (size + (nuint)count > capacity)
        {
            Reserve(Math.Max(capacity * 2, size + (nuint)count));
        }
    }

    /// <summary>Room for <paramref name="capacity"/> vectors, and as many search contexts as there are semaphore slots.</summary>
    private void Reserve(nuint capacity)
    {
        USearchNative.Reserve(_index, capacity, out IntPtr error);
        USearchNative.Check(error);
        USearchNative.ChangeThreadsSearch(_index, (nuint)_searchContexts, out error);
        USearchNative.Check(error);
    }
}
