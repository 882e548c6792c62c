using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.Tests;
using Microsoft.Extensions.VectorData;

namespace LlmCache.VectorData.Tests;

public sealed class VectorDataVectorIndexTests
{
    private static VectorRecord Record(string id, float[] vector, string scope = "s", string @namespace = "", DateTimeOffset? expiresAt = null) =>
        new(@namespace, scope, id, vector, "text " + id, expiresAt);

    [Fact]
    public async Task Search_finds_the_nearest_records_of_its_own_partition_with_their_cosine_similarity()
    {
        var collection = new InMemoryCollection<string>();
        var index = new VectorDataVectorIndex<string>(collection);
        await index.UpsertAsync(Record("a", [2, 0, 0]));
        await index.UpsertAsync(Record("b", [1, 1, 0]));
        await index.UpsertAsync(Record("c", [0, 0, 3]));
        await index.UpsertAsync(Record("other-scope", [1, 0, 0], scope: "t"));
        await index.UpsertAsync(Record("other-namespace", [1, 0, 0], @namespace: "tenant"));

        IReadOnlyList<VectorMatch> found = await index.SearchAsync("", "s", new float[] { 2, 0.1f, 0 }, 2);

        Assert.Equal(["a", "b"], found.Select(m => m.Id));
        Assert.Equal(2 / MathF.Sqrt(4.01f), found[0].Similarity, 5);
        Assert.Equal("text a", found[0].Text);
        Assert.Equal("other-scope", Assert.Single(await index.SearchAsync("", "t", new float[] { 1, 0, 0 }, 5)).Id);
        Assert.Equal("other-namespace", Assert.Single(await index.SearchAsync("tenant", "s", new float[] { 1, 0, 0 }, 5)).Id);
    }

    [Fact]
    public async Task Upserting_an_id_again_replaces_its_record()
    {
        var collection = new InMemoryCollection<string>();
        var index = new VectorDataVectorIndex<string>(collection);
        await index.UpsertAsync(Record("a", [1, 0]));
        await index.UpsertAsync(Record("a", [0, 1]));

        Assert.Equal(1, collection.Count);
        Assert.Equal(1f, Assert.Single(await index.SearchAsync("", "s", new float[] { 0, 1 }, 5)).Similarity, 5);
    }

    [Fact]
    public async Task Removed_and_expired_records_are_not_found_and_expired_ones_can_be_deleted()
    {
        var time = new ManualTimeProvider();
        var collection = new InMemoryCollection<Guid>();
        var index = new VectorDataVectorIndex<Guid>(collection, time);
        await index.UpsertAsync(Record("gone", [1, 0]));
        await index.UpsertAsync(Record("expires", [1, 0.1f], expiresAt: time.GetUtcNow().AddSeconds(10)));
        await index.UpsertAsync(Record("stays", [0, 1]));

        Assert.True(await index.RemoveAsync("", "s", "gone"));
        Assert.False(await index.RemoveAsync("", "s", "gone"));
        Assert.Equal("expires", (await index.SearchAsync("", "s", new float[] { 1, 0 }, 5))[0].Id);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["stays"], (await index.SearchAsync("", "s", new float[] { 1, 0 }, 5)).Select(m => m.Id));
        Assert.Equal(2, collection.Count);

        await index.RemoveExpiredAsync();
        Assert.Equal(1, collection.Count);
    }

    [Fact]
    public async Task Clearing_a_namespace_deletes_all_its_records_and_only_them()
    {
        var collection = new InMemoryCollection<ulong>();
        var index = new VectorDataVectorIndex<ulong>(collection);
        for (int i = 0; i < 600; i++)
        {
            await index.UpsertAsync(Record("r" + i, [1, i], scope: "s" + (i % 3), @namespace: "tenant"));
        }

        await index.UpsertAsync(Record("kept", [1, 0]));

        await index.ClearNamespaceAsync("tenant");

        Assert.Equal(1, collection.Count);
        Assert.Empty(await index.SearchAsync("tenant", "s0", new float[] { 1, 0 }, 5));
        Assert.Equal("kept", Assert.Single(await index.SearchAsync("", "s", new float[] { 1, 0 }, 5)).Id);
    }

    [Fact]
    public void Keys_are_digests_that_tell_apart_namespace_scope_and_id_boundaries()
    {
        Assert.NotEqual(VectorDataVectorIndex<string>.KeyOf("a", "bc", "d"), VectorDataVectorIndex<string>.KeyOf("ab", "c", "d"));
        Assert.Equal(VectorDataVectorIndex<Guid>.KeyOf("a", "b", "c"), VectorDataVectorIndex<Guid>.KeyOf("a", "b", "c"));
        Assert.Throws<NotSupportedException>(() => new VectorDataVectorIndex<int>(new InMemoryCollection<int>()));
    }

    [Fact]
    public void The_definition_indexes_the_fields_searches_filter_on()
    {
        VectorStoreCollectionDefinition definition = VectorDataRecord.Definition<string>(384);

        string[] indexed = definition.Properties.OfType<VectorStoreDataProperty>().Where(p => p.IsIndexed).Select(p => p.Name).ToArray();
        Assert.Equal(["Namespace", "Scope", "ExpiresAt"], indexed);
        VectorStoreVectorProperty vector = Assert.Single(definition.Properties.OfType<VectorStoreVectorProperty>());
        Assert.Equal(384, vector.Dimensions);
        Assert.Equal(typeof(string), Assert.Single(definition.Properties.OfType<VectorStoreKeyProperty>()).Type);
    }
}
