using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.VectorIndex.USearch;

namespace LlmCache.Semantic.Benchmarks;

/// <summary>
/// One nearest-neighbour lookup (top 1, embedding excluded) in one partition of N 384-dimension records: the exact scan
/// against the USearch graph. The setup prints the index's build time, its memory per record and the approximate
/// index's recall@1 against exact search over fresh queries from the same clusters.
/// </summary>
/// <remarks>
/// Sizes: <c>LLMCACHE_BENCH_ENTRIES</c> (comma-separated; 10,000, 100,000 and 1,000,000 by default); indexes:
/// <c>LLMCACHE_BENCH_INDEXES</c> (<c>Exact,USearch</c> by default).
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class VectorLookupBenchmarks
{
    private const int Dimensions = 384;
    private const int QueryCount = 256;
    private const int RecallQueries = 200;

    private InProcessVectorIndex _index = null!;
    private float[][] _queries = null!;
    private int _next;

    public static IEnumerable<int> Sizes() =>
        (Environment.GetEnvironmentVariable("LLMCACHE_BENCH_ENTRIES") ?? "10000,100000,1000000")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(int.Parse);

    [ParamsSource(nameof(Sizes))]
    public int Entries { get; set; }

    public static IEnumerable<string> Indexes() =>
        (Environment.GetEnvironmentVariable("LLMCACHE_BENCH_INDEXES") ?? "Exact,USearch")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [ParamsSource(nameof(Indexes))]
    public string Index { get; set; } = "Exact";

    [GlobalSetup]
    public async Task Setup()
    {
        var source = new ClusteredVectors(Dimensions, clusters: Math.Max(10, Entries / 100), seed: 42);
        var vectors = new float[Entries][];
        for (int i = 0; i < Entries; i++)
        {
            vectors[i] = source.Next();
        }

        _queries = Enumerable.Range(0, QueryCount).Select(_ => source.Next()).ToArray();
        IApproximateVectorIndexFactory? approximate = Index == "USearch" ? new USearchIndexFactory() : null;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        _index = new InProcessVectorIndex(maxRecords: Entries, approximateIndex: approximate, approximateThreshold: 1_000);
        for (int i = 0; i < Entries; i++)
        {
            await _index.UpsertAsync(new VectorRecord("", "s", i.ToString(), vectors[i], "prompt " + i, null));
        }

        while (approximate is not null && _index.ApproximatePartitionCount == 0)
        {
            Thread.Sleep(10);
        }

        TimeSpan build = clock.Elapsed;
        long heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Console.WriteLine($"// {Index} {Entries:N0}: build {build.TotalSeconds:F1} s; estimated {_index.EstimatedBytes / (double)Entries:F0} bytes per record (managed heap {heap / (double)Entries:F0} bytes per record, the graph's native memory outside it)");
        Console.WriteLine($"// {Index} {Entries:N0}: recall@1 against exact search {await RecallAsync(vectors):F4} over {RecallQueries} queries");
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark(Description = "Lookup, top 1")]
    public async Task<float> Lookup()
    {
        float[] query = _queries[_next++ % QueryCount];
        IReadOnlyList<VectorMatch> found = await _index.SearchAsync("", "s", query, 1);
        return found[0].Similarity;
    }

    private async Task<double> RecallAsync(float[][] vectors)
    {
        int agree = 0;
        for (int q = 0; q < RecallQueries; q++)
        {
            float[] query = _queries[q];
            float best = float.MinValue;
            foreach (float[] vector in vectors)
            {
                best = Math.Max(best, TensorPrimitives.Dot(vector, query));
            }

            VectorMatch found = (await _index.SearchAsync("", "s", query, 1))[0];
            agree += Math.Abs(found.Similarity - best) < 1e-5f ? 1 : 0;
        }

        return agree / (double)RecallQueries;
    }
}
