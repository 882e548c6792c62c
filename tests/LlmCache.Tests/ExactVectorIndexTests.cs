using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Xunit;

namespace LlmCache.Tests;

public sealed class ExactVectorIndexTests
{
    private static VectorRecord Record(string id, float[] vector, string scope = "s", string @namespace = "", DateTimeOffset? expiresAt = null) =>
        new(@namespace, scope, id, vector, "text " + id, expiresAt);

    [Fact]
    public async Task Search_returns_the_nearest_records_of_the_partition_most_similar_first()
    {
        var index = new ExactVectorIndex();
        await index.UpsertAsync(Record("a", [1, 0, 0]));
        await index.UpsertAsync(Record("b", [1, 1, 0]));
        await index.UpsertAsync(Record("c", [0, 0, 1]));
        await index.UpsertAsync(Record("other-scope", [1, 0, 0], scope: "t"));

        IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", new float[] { 2, 0.1f, 0 }, 2);

        Assert.Equal(["a", "b"], [found[0].Id, found[1].Id]);
        Assert.Equal(2 / MathF.Sqrt(4.01f), found[0].Similarity, 5);
        Assert.Equal("text a", found[0].Text);
    }

    [Fact]
    public async Task Removed_expired_and_cleared_records_are_not_found()
    {
        var time = new ManualTimeProvider();
        var index = new ExactVectorIndex(timeProvider: time);
        await index.UpsertAsync(Record("gone", [1, 0]));
        await index.UpsertAsync(Record("expires", [1, 0.1f], expiresAt: time.GetUtcNow().AddSeconds(10)));
        await index.UpsertAsync(Record("cleared", [1, 0], @namespace: "tenant"));

        Assert.True(await index.RemoveAsync("", "s", "gone"));
        Assert.False(await index.RemoveAsync("", "s", "gone"));
        Assert.Equal("expires", Assert.Single(await index.SearchAsync("", "s", new float[] { 1, 0 }, 5)).Id);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(await index.SearchAsync("", "s", new float[] { 1, 0 }, 5));

        await index.ClearNamespaceAsync("tenant");
        Assert.Empty(await index.SearchAsync("tenant", "s", new float[] { 1, 0 }, 5));
    }

    [Fact]
    public async Task The_index_keeps_at_most_its_bound_dropping_the_oldest()
    {
        var index = new ExactVectorIndex(maxRecords: 3);
        for (int i = 0; i < 5; i++)
        {
            await index.UpsertAsync(Record("r" + i, [1, i]));
        }

        Assert.Equal(3, index.Count);
        IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", new float[] { 1, 0 }, 10);
        Assert.Equal(["r2", "r3", "r4"], [found[0].Id, found[1].Id, found[2].Id]);
    }

    [Fact]
    public async Task An_expired_record_is_dropped_by_a_later_write_rather_than_kept_until_the_bound()
    {
        var time = new ManualTimeProvider();
        var index = new ExactVectorIndex(timeProvider: time);
        await index.UpsertAsync(Record("expires", [1, 0], expiresAt: time.GetUtcNow().AddSeconds(10)));
        await index.UpsertAsync(Record("other-partition", [1, 0], scope: "t", expiresAt: time.GetUtcNow().AddSeconds(10)));
        time.Advance(TimeSpan.FromMinutes(1));

        await index.UpsertAsync(Record("stays", [0, 1]));

        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task The_memory_of_the_records_is_reported_and_released_with_them()
    {
        var index = new ExactVectorIndex();
        var vector = new float[384];
        for (int i = 0; i < 1_000; i++)
        {
            vector[i % 384] += 1;
            await index.UpsertAsync(Record("r" + i, vector));
        }

        long bytes = index.EstimatedBytes;
        Assert.InRange(bytes / index.Count, 384 * sizeof(float), 384 * sizeof(float) * 2);

        for (int i = 0; i < 1_000; i++)
        {
            await index.RemoveAsync("", "s", "r" + i);
        }

        Assert.Equal(0, index.EstimatedBytes);
    }

    [Fact]
    public async Task A_record_of_another_length_replaces_the_partition_whose_vectors_no_query_of_its_length_could_match()
    {
        var index = new ExactVectorIndex();
        await index.UpsertAsync(Record("old", [1, 0]));
        await index.UpsertAsync(Record("new", [1, 0, 0]));

        Assert.Equal(1, index.Count);
        Assert.Empty(await index.SearchAsync("", "s", new float[] { 1, 0 }, 5));
        Assert.Equal("new", Assert.Single(await index.SearchAsync("", "s", new float[] { 1, 0, 0 }, 5)).Id);
    }

    [Fact]
    public async Task Rewriting_a_record_makes_it_the_newest_for_the_bound()
    {
        var index = new ExactVectorIndex(maxRecords: 2);
        await index.UpsertAsync(Record("a", [1, 0]));
        await index.UpsertAsync(Record("b", [1, 1]));
        await index.UpsertAsync(Record("a", [1, 0]));
        await index.UpsertAsync(Record("c", [0, 1]));

        IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", new float[] { 1, 0 }, 10);
        Assert.Equal(["a", "c"], [found[0].Id, found[1].Id]);
    }
}
