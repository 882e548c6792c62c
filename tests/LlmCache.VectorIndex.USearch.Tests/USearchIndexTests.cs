using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using LlmCache.Tests;

namespace LlmCache.VectorIndex.USearch.Tests;

public sealed class USearchIndexTests
{
    private const int Dimensions = 64;

    [Fact]
    public void The_graph_finds_added_vectors_and_forgets_removed_ones()
    {
        float[][] vectors = Vectors.Clustered(3_000, Dimensions, clusters: 20, seed: 1);
        using IApproximateVectorIndex graph = new USearchIndexFactory().Create(Dimensions, expectedRecords: 10);
        for (int i = 0; i < vectors.Length; i++)
        {
            graph.Add(i, vectors[i]);
        }

        var keys = new long[5];
        Assert.Equal(5, graph.Search(vectors[42], keys));
        Assert.Equal(42, keys[0]);

        graph.Remove(42);
        graph.Remove(123_456);
        int found = graph.Search(vectors[42], keys);
        Assert.DoesNotContain(42L, keys[..found]);
        Assert.True(graph.EstimatedBytes > vectors.Length * Dimensions * 2, $"{graph.EstimatedBytes} bytes for {vectors.Length} vectors");
    }

    [Fact]
    public async Task A_partition_past_the_threshold_is_searched_by_the_graph_and_removal_expiry_and_clearing_show()
    {
        var time = new ManualTimeProvider();
        using var index = new InProcessVectorIndex(timeProvider: time, approximateIndex: new USearchIndexFactory(), approximateThreshold: 500);
        float[][] vectors = Vectors.Clustered(1_000, Dimensions, clusters: 10, seed: 2);
        for (int i = 0; i < vectors.Length; i++)
        {
            DateTimeOffset? expires = i == 7 ? time.GetUtcNow().AddMinutes(1) : null;
            await index.UpsertAsync(new VectorRecord("", "s", "r" + i, vectors[i], "text " + i, expires));
        }

        await WaitUntilAsync(() => index.ApproximatePartitionCount == 1);

        IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", vectors[3], 3);
        Assert.Equal("r3", found[0].Id);
        Assert.Equal(1f, found[0].Similarity, 4);
        Assert.Equal("text 3", found[0].Text);
        Assert.True(found[0].Similarity >= found[1].Similarity && found[1].Similarity >= found[2].Similarity);
        Assert.Equal(TensorPrimitives.Dot(vectors[int.Parse(found[1].Id[1..])], vectors[3]), found[1].Similarity, 4);

        Assert.True(await index.RemoveAsync("", "s", "r3"));
        Assert.DoesNotContain("r3", (await index.SearchAsync("", "s", vectors[3], 10)).Select(m => m.Id));

        Assert.Equal("r7", (await index.SearchAsync("", "s", vectors[7], 1))[0].Id);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain("r7", (await index.SearchAsync("", "s", vectors[7], 10)).Select(m => m.Id));

        await index.ClearNamespaceAsync("");
        Assert.Empty(await index.SearchAsync("", "s", vectors[1], 10));
        Assert.Equal(0, index.ApproximatePartitionCount);
        Assert.Equal(0, index.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_graph_built_in_parallel_finds_what_the_exact_scan_finds(bool bulk)
    {
        const int records = 20_000;
        const int queries = 200;
        float[][] vectors = Vectors.Clustered(records + queries, Dimensions, clusters: 200, seed: 6);
        VectorRecord[] rows = vectors[..records].Select((vector, i) => new VectorRecord("", "s", "r" + i, vector, "t", null)).ToArray();

        // More build threads than this machine's cores, so that adds overlap whatever the scheduling.
        using var approximate = new InProcessVectorIndex(maxRecords: records, approximateIndex: new USearchIndexFactory(new USearchIndexOptions { BuildThreads = 4 }), approximateThreshold: 1_000);
        using var exact = new ExactVectorIndex(maxRecords: records);
        await exact.UpsertManyAsync(rows);
        if (bulk)
        {
            await approximate.UpsertManyAsync(rows);
        }
        else
        {
            // One at a time: the build starts from the first 1,000 rows and takes the rest in further rounds.
            foreach (VectorRecord row in rows)
            {
                await approximate.UpsertAsync(row);
            }
        }

        await WaitUntilAsync(() => approximate.ApproximatePartitionCount == 1);

        int agree = 0;
        foreach (float[] query in vectors[records..])
        {
            VectorMatch expected = (await exact.SearchAsync("", "s", query, 1))[0];
            agree += (await approximate.SearchAsync("", "s", query, 1))[0].Id == expected.Id ? 1 : 0;
        }

        int found = 0;
        int searched = 0;
        for (int i = 0; i < records; i += 7, searched++)
        {
            found += (await approximate.SearchAsync("", "s", vectors[i], 1))[0].Id == "r" + i ? 1 : 0;
        }

        Assert.True(agree >= queries * 99 / 100 && found >= searched * 99 / 100, $"recall@1 {agree} of {queries} held-out queries, {found} of {searched} records found by their own vector");
    }

    [Fact]
    public async Task Writes_during_the_background_build_reach_the_graph()
    {
        using var index = new InProcessVectorIndex(approximateIndex: new USearchIndexFactory(), approximateThreshold: 1_000);
        float[][] vectors = Vectors.Clustered(3_000, Dimensions, clusters: 10, seed: 3);
        for (int i = 0; i < vectors.Length; i++)
        {
            await index.UpsertAsync(new VectorRecord("", "s", "r" + i, vectors[i], "t", null));
            if (i % 10 == 0 && i > 0)
            {
                await index.RemoveAsync("", "s", "r" + (i - 5));
            }
        }

        await WaitUntilAsync(() => index.ApproximatePartitionCount == 1);

        // A removed record is never found. A kept one is found by its own vector, bar the graph's approximation: a
        // self-query on this clustered data misses its record now and then (one in a few hundred seen, r2310 once in
        // a clean-clone run), whereas a write lost between the build and the switch would miss whole rounds of them.
        var missed = new List<string>();
        int kept = 0;
        for (int i = 0; i < vectors.Length; i += 7)
        {
            IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", vectors[i], 1);
            bool removed = i % 10 == 5 && i + 5 < vectors.Length;
            if (removed)
            {
                Assert.True(found.Count == 0 || found[0].Id != "r" + i, $"r{i} was removed");
            }
            else
            {
                kept++;
                if (found.Count == 0 || found[0].Id != "r" + i)
                {
                    missed.Add("r" + i);
                }
            }
        }

        Assert.True(missed.Count <= kept / 100, $"{missed.Count} of {kept} kept records not found by their own vector: {string.Join(", ", missed)}");
    }

    [Fact]
    public async Task Churn_past_the_bound_keeps_count_and_memory_bounded()
    {
        const int bound = 1_500;
        using var index = new InProcessVectorIndex(maxRecords: bound, approximateIndex: new USearchIndexFactory(), approximateThreshold: 500);
        float[][] vectors = Vectors.Clustered(bound, Dimensions, clusters: 10, seed: 4);
        long afterFirstRound = 0;
        for (int round = 0; round < 8; round++)
        {
            for (int i = 0; i < vectors.Length; i++)
            {
                await index.UpsertAsync(new VectorRecord("", "s", $"r{round}-{i}", vectors[i], "t", null));
            }

            await WaitUntilAsync(() => index.ApproximatePartitionCount == 1);
            if (round == 0)
            {
                afterFirstRound = index.EstimatedBytes;
            }
        }

        Assert.Equal(bound, index.Count);
        Assert.Equal("r7-9", (await index.SearchAsync("", "s", vectors[9], 1))[0].Id);
        long afterChurn = index.EstimatedBytes;
        Assert.True(afterChurn < afterFirstRound * 3 / 2, $"{afterFirstRound:N0} bytes after the first {bound:N0} records, {afterChurn:N0} after {8 * bound:N0}");
    }

    [Fact]
    public async Task Concurrent_upserts_removals_and_searches_stay_consistent()
    {
        using var index = new InProcessVectorIndex(approximateIndex: new USearchIndexFactory(), approximateThreshold: 300);
        float[][] vectors = Vectors.Clustered(4_000, Dimensions, clusters: 10, seed: 5);

        // Anchors are never removed: a search for one's own vector finds it, whatever else runs, bar the graph's
        // approximation (a self-query on this clustered data misses its record now and then, as in the test above:
        // a196 once in a clean-clone run). A lost write or a search racing a write unlocked would miss whole runs of them.
        const int anchors = 400;
        for (int i = 0; i < anchors; i++)
        {
            await index.UpsertAsync(new VectorRecord("", "s", "a" + i, vectors[i], "t", null));
        }

        await WaitUntilAsync(() => index.ApproximatePartitionCount == 1);

        var removed = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(3);
        var cap = TimeSpan.FromMinutes(2);
        int searches = 0;
        var missed = new System.Collections.Concurrent.ConcurrentQueue<string>();

        // Writers and searchers overlap for at least the duration and at least 20 searches each, however the
        // threads get scheduled on a loaded machine; the cap fails a search that never gets through.
        // A searcher that fails stops the writers too, rather than leaving them to write on the 2 cores until the cap.
        bool failed = false;
        bool Writing() => !System.Threading.Volatile.Read(ref failed) && (clock.Elapsed < duration || System.Threading.Volatile.Read(ref searches) < 60);

        async Task Write(int writer)
        {
            var random = new Random(writer);
            for (int n = 0; Writing() && clock.Elapsed < cap; n++)
            {
                string id = $"w{writer}-{n}";
                await index.UpsertAsync(new VectorRecord("", "s", id, vectors[anchors + random.Next(vectors.Length - anchors)], "t", null));
                if (random.Next(3) == 0)
                {
                    Assert.True(await index.RemoveAsync("", "s", id));
                    removed[id] = true;
                }
            }
        }

        async Task Search(int reader)
        {
            try
            {
                await SearchAnchors(reader);
            }
            catch
            {
                System.Threading.Volatile.Write(ref failed, true);
                throw;
            }
        }

        async Task SearchAnchors(int reader)
        {
            var random = new Random(100 + reader);
            for (int done = 0; done < 20 || clock.Elapsed < duration; done++)
            {
                Assert.True(clock.Elapsed < cap, "Searches did not get through while writers ran.");
                int anchor = random.Next(anchors);
                string[] removedBefore = removed.Keys.ToArray();
                IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", vectors[anchor], 5);
                if (found.Count == 0 || found[0].Id != "a" + anchor)
                {
                    missed.Enqueue($"a{anchor} (found {(found.Count == 0 ? "nothing" : found[0].Id)})");
                }

                Assert.DoesNotContain(found, match => removedBefore.Contains(match.Id));
                for (int rank = 1; rank < found.Count; rank++)
                {
                    Assert.True(found[rank - 1].Similarity >= found[rank].Similarity);
                }

                System.Threading.Interlocked.Increment(ref searches);
            }
        }

        await Task.WhenAll(
            Task.Run(() => Write(1)), Task.Run(() => Write(2)),
            Task.Run(() => Search(1)), Task.Run(() => Search(2)), Task.Run(() => Search(3)));

        Assert.True(searches >= 60);
        Assert.True(missed.Count <= 1 + (searches / 100), $"{missed.Count} of {searches} anchors not found first by their own vector: {string.Join(", ", missed)}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Generous: the background build shares two cores with other builds.
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "The condition did not hold within 2 minutes.");
            await Task.Delay(20);
        }
    }
}
