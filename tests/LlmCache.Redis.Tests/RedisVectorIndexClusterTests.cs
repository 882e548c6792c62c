using System;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;

namespace LlmCache.Redis.Tests;

/// <summary><see cref="RedisVectorIndex"/> against a real 3-master Redis Cluster.</summary>
public sealed class RedisVectorIndexClusterTests : IClassFixture<RedisClusterFixture>
{
    private const string Scope = "scope-c";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    private readonly RedisClusterFixture _cluster;

    public RedisVectorIndexClusterTests(RedisClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task OnTheCluster_RecordsOnEveryMaster_AreSeenByASecondInstance_RemovedFromBoth_AndLoadedByANewOne()
    {
        string prefix = RedisServer.UniquePrefix();
        RedisVectorIndexOptions options = SemanticInstance.Options(prefix);
        await using SemanticInstance a = await SemanticInstance.StartAsync(_cluster.StoreOptions(), options);
        await using SemanticInstance b = await SemanticInstance.StartAsync(_cluster.StoreOptions(), options);
        int[] seeds = Enumerable.Range(100, 60).ToArray();
        foreach (int seed in seeds)
        {
            await a.Index.UpsertAsync(SemanticInstance.Record(seed < 130 ? "kept" : "cleared", Scope, seed));
        }

        TimeSpan seen = await SemanticInstance.WaitUntilAsync(() => b.FindsAsync("cleared", Scope, SemanticInstance.Vector(159), "id-159"), Generous, "the second instance finds the last record");
        Assert.True(seen < TimeSpan.FromSeconds(1), $"The second instance found the last record after {seen.TotalMilliseconds:F0} ms.");
        await SemanticInstance.WaitUntilAsync(() => Task.FromResult(b.Index.Count == seeds.Length), Generous, "the second instance holds every record");
        Assert.All(_cluster.Nodes, node => Assert.True(
            _cluster.Connection.GetServer("127.0.0.1", node.Port).Keys(0, options.KeyPrefix + "*", 1000).Any(),
            $"no record on {node.EndPoint}"));

        Assert.True(await b.Index.RemoveAsync("kept", Scope, "id-100"));
        await a.Index.ClearNamespaceAsync("cleared");
        await SemanticInstance.WaitUntilAsync(
            async () => !await a.FindsAsync("kept", Scope, SemanticInstance.Vector(100), "id-100") &&
                (await b.Index.SearchAsync("cleared", Scope, SemanticInstance.Vector(140), 1)).Count == 0,
            Generous,
            "the removed record and the cleared namespace are gone from the other instance");
        Assert.Equal(29, a.Index.Count);
        Assert.Equal(29, b.Index.Count);

        await using SemanticInstance started = await SemanticInstance.StartAsync(_cluster.StoreOptions(), options);
        Assert.Equal(29, started.Index.Count);
        Assert.Equal(29, started.Local.Upserts);
        Assert.True(await started.FindsAsync("kept", Scope, SemanticInstance.Vector(129), "id-129"));
        Assert.False(await started.FindsAsync("kept", Scope, SemanticInstance.Vector(100), "id-100"));
    }
}
