using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.VectorIndex.USearch.Tests;

/// <summary>How <see cref="InProcessVectorIndex"/> hands a partition's rows to the approximate index it builds in the background.</summary>
public sealed class BackgroundBuildTests
{
    private const int Dimensions = 16;

    [Fact]
    public async Task A_batch_that_crosses_the_threshold_builds_from_all_its_rows_at_once()
    {
        var factory = new RecordingFactory();
        using var index = new InProcessVectorIndex(approximateIndex: factory, approximateThreshold: 1_000);
        float[][] vectors = Vectors.Clustered(5_000, Dimensions, clusters: 10, seed: 11);

        await index.UpsertManyAsync(vectors.Select((vector, i) => new VectorRecord("", "s", "r" + i, vector, "t", null)).ToArray());
        await WaitUntilAsync(() => index.ApproximatePartitionCount == 1);

        RecordingIndex graph = Assert.Single(factory.Created);
        Assert.Equal([5_000], graph.Batches);
        Assert.Equal(0, graph.SingleAdds);
        Assert.Equal(5_000, index.Count);
    }

    [Fact]
    public async Task Writes_made_while_the_graph_builds_go_in_batches_outside_the_lock_and_few_under_it()
    {
        var factory = new RecordingFactory { HoldFirstBatch = new ManualResetEventSlim() };
        using var index = new InProcessVectorIndex(approximateIndex: factory, approximateThreshold: 1_000);
        float[][] vectors = Vectors.Clustered(6_000, Dimensions, clusters: 10, seed: 12);
        for (int i = 0; i < vectors.Length; i++)
        {
            await index.UpsertAsync(new VectorRecord("", "s", "r" + i, vectors[i], "t", null));
        }

        await index.RemoveAsync("", "s", "r5");
        await index.RemoveAsync("", "s", "r2000");
        factory.HoldFirstBatch.Set();
        await WaitUntilAsync(() => index.ApproximatePartitionCount == 1);

        RecordingIndex graph = Assert.Single(factory.Created);
        Assert.Equal(1_000, graph.Batches[0]);
        Assert.True(graph.Batches.Length >= 2, "the writes made during the build went in no batch");
        Assert.True(graph.SingleAdds <= 256, $"{graph.SingleAdds} adds replayed one at a time under the lock");

        // Every row the partition holds is in the graph once (the fake fails a key added twice), and nothing it removed.
        Assert.Equal(vectors.Length - 2, graph.Keys.Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "The condition did not hold within 2 minutes.");
            await Task.Delay(20);
        }
    }

    private sealed class RecordingFactory : IApproximateVectorIndexFactory
    {
        public ConcurrentQueue<RecordingIndex> Created { get; } = new();

        public ManualResetEventSlim? HoldFirstBatch { get; init; }

        public IApproximateVectorIndex Create(int dimensions, int expectedRecords)
        {
            var created = new RecordingIndex(HoldFirstBatch);
            Created.Enqueue(created);
            return created;
        }
    }

    /// <summary>Records how keys arrive; searches find nothing (the tests look at the calls, not at results).</summary>
    private sealed class RecordingIndex(ManualResetEventSlim? holdFirstBatch) : IApproximateVectorIndex
    {
        public ConcurrentDictionary<long, bool> Keys { get; } = new();

        public ConcurrentQueue<int> BatchQueue { get; } = new();

        public int[] Batches => BatchQueue.ToArray();

        public int SingleAdds { get; private set; }

        public long EstimatedBytes => 0;

        public void Add(long key, ReadOnlySpan<float> vector)
        {
            Assert.True(Keys.TryAdd(key, true), $"key {key} added twice");
            SingleAdds++;
        }

        public void AddMany(ReadOnlyMemory<long> keys, ReadOnlyMemory<float> vectors)
        {
            Assert.Equal(keys.Length * Dimensions, vectors.Length);
            if (BatchQueue.IsEmpty)
            {
                holdFirstBatch?.Wait(TimeSpan.FromMinutes(2));
            }

            foreach (long key in keys.Span)
            {
                Assert.True(Keys.TryAdd(key, true), $"key {key} added twice");
            }

            BatchQueue.Enqueue(keys.Length);
        }

        public void Remove(long key)
        {
            Keys.TryRemove(key, out _);
        }

        public int Search(ReadOnlySpan<float> query, Span<long> keys) => 0;

        public void Dispose()
        {
        }
    }
}
