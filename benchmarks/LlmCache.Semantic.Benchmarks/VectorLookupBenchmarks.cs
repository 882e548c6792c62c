using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.VectorIndex.USearch;

namespace LlmCache.Semantic.Benchmarks;

/// <summary>
/// One nearest-neighbour lookup (top 1, embedding excluded) in one partition of N 384-dimension records: the exact scan
/// against the USearch graph. The setup loads the records in one <see cref="InProcessVectorIndex.UpsertManyAsync"/>
/// (as a process loading its records from Redis does), so the graph is built from all rows at once on every core, and
/// prints the build time, the memory per record and the approximate index's recall@1 against a brute-force scan over
/// fresh queries from the same clusters.
/// </summary>
/// <remarks>
/// Sizes: <c>LLMCACHE_BENCH_ENTRIES</c> (comma-separated; 10,000, 100,000 and 1,000,000 by default); indexes:
/// <c>LLMCACHE_BENCH_INDEXES</c> (<c>Exact,USearch</c> by default); the graph's connectivity, expansion on add and on
/// search: <c>LLMCACHE_BENCH_HNSW</c> (<c>16,128,128</c>, the defaults of <see cref="USearchIndexOptions"/>); the build's
/// threads: <c>LLMCACHE_BENCH_BUILD_THREADS</c> (the processor count by default).
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
        var records = new VectorRecord[Entries];
        for (int i = 0; i < Entries; i++)
        {
            records[i] = new VectorRecord("", "s", i.ToString(), source.Next(), "prompt " + i, null);
        }

        _queries = Enumerable.Range(0, QueryCount).Select(_ => source.Next()).ToArray();
        USearchIndexOptions graph = GraphOptions();
        IApproximateVectorIndexFactory? approximate = Index == "USearch" ? new USearchIndexFactory(graph) : null;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        _index = new InProcessVectorIndex(maxRecords: Entries, approximateIndex: approximate, approximateThreshold: 1_000);
        await _index.UpsertManyAsync(records);
        TimeSpan rows = clock.Elapsed;
        while (approximate is not null && _index.ApproximatePartitionCount == 0)
        {
            Thread.Sleep(10);
        }

        TimeSpan build = clock.Elapsed;
        string graphBuild = approximate is null
            ? ""
            : $", searchable by the graph after {build.TotalSeconds:F1} s (connectivity {graph.Connectivity}, expansion add {graph.ExpansionAdd}, search {graph.ExpansionSearch}, {graph.BuildThreads} build threads)";
        Console.WriteLine($"// {Index} {Entries:N0}: rows in {rows.TotalSeconds:F1} s{graphBuild}; load average {LoadAverage()}");
        double recall = Recall(records);
        long heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Console.WriteLine($"// {Index} {Entries:N0}: estimated {_index.EstimatedBytes / (double)Entries:F0} bytes per record (managed heap {heap / (double)Entries:F0} bytes per record with the benchmark's own copy of the vectors, the graph's native memory outside it)");
        Console.WriteLine($"// {Index} {Entries:N0}: recall@1 against exact search {recall:F4} over {RecallQueries} queries");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index.Dispose();
        GC.Collect();
    }

    [Benchmark(Description = "Lookup, top 1")]
    public async Task<float> Lookup()
    {
        float[] query = _queries[_next++ % QueryCount];
        IReadOnlyList<VectorMatch> found = await _index.SearchAsync("", "s", query, 1);
        return found[0].Similarity;
    }

    private static USearchIndexOptions GraphOptions()
    {
        int[] hnsw = (Environment.GetEnvironmentVariable("LLMCACHE_BENCH_HNSW") ?? "16,128,128").Split(',').Select(int.Parse).ToArray();
        var options = new USearchIndexOptions { Connectivity = hnsw[0], ExpansionAdd = hnsw[1], ExpansionSearch = hnsw[2] };
        if (Environment.GetEnvironmentVariable("LLMCACHE_BENCH_BUILD_THREADS") is { Length: > 0 } threads)
        {
            options.BuildThreads = int.Parse(threads);
        }

        return options;
    }

    // The first figure of /proc/loadavg where there is one: the lookups and builds of a shared machine depend on it.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    /// <summary>How often the index's top 1 is the brute-force scan's, the queries checked in parallel.</summary>
    private double Recall(VectorRecord[] records)
    {
        int agree = 0;
        Parallel.For(0, RecallQueries, q =>
        {
            float[] query = _queries[q];
            float best = float.MinValue;
            foreach (VectorRecord record in records)
            {
                best = Math.Max(best, TensorPrimitives.Dot(record.Vector.Span, query));
            }

            VectorMatch found = _index.SearchAsync("", "s", query, 1).AsTask().GetAwaiter().GetResult()[0];
            Interlocked.Add(ref agree, Math.Abs(found.Similarity - best) < 1e-5f ? 1 : 0);
        });

        return agree / (double)RecallQueries;
    }
}
