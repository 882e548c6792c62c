using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using Microsoft.Extensions.AI;

namespace LlmCache.Redis.Tests;

/// <summary>A cached stream of Microsoft.Extensions.AI updates through Redis: stored once complete, replayed update by update in another process.</summary>
public sealed class RedisStreamingTests : IClassFixture<RedisServer>
{
    private static readonly CachedMethod<IReadOnlyList<ChatResponseUpdate>> Method = new(
        "LlmCache.Redis.Tests.Streaming.Stream(string)->IAsyncEnumerable<ChatResponseUpdate>#v0", CacheType.Dual, 0, null,
        CacheStreamSerializer.Json<ChatResponseUpdate>(AIJsonUtilities.DefaultOptions)) { Kind = CallKind.StreamingChat };

    private readonly RedisServer _server;
    private int _streams;

    public RedisStreamingTests(RedisServer server) => _server = server;

    [Fact]
    public async Task A_stream_stored_through_Redis_is_replayed_update_for_update_by_another_runtime()
    {
        string prefix = RedisServer.UniquePrefix();
        var writer = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(o => Configure(o, prefix)));
        List<ChatResponseUpdate> original = await ReadAllAsync(writer, new CacheOutcome());

        // Another process: empty memory, same Redis.
        var reader = new LlmCacheRuntime(new LlmCacheOptions().UseRedis(o => Configure(o, prefix)));
        var fromRedis = new CacheOutcome();
        var fromMemory = new CacheOutcome();
        List<ChatResponseUpdate> replayed = await ReadAllAsync(reader, fromRedis);
        List<ChatResponseUpdate> again = await ReadAllAsync(reader, fromMemory);

        Assert.Equal(1, _streams);
        Assert.Equal(("redis", "memory"), (fromRedis.Tier, fromMemory.Tier));
        Assert.Equal(Json(Script()), Json(original));
        Assert.Equal(Json(Script()), Json(replayed));
        Assert.Equal(Json(Script()), Json(again));
        Assert.Equal(["Hel", "lo"], replayed.Take(2).Select(u => u.Text));
        Assert.Equal("lookup", Assert.IsType<FunctionCallContent>(Assert.Single(replayed[2].Contents)).Name);
        Assert.Equal(9L, Assert.IsType<UsageContent>(Assert.Single(replayed[3].Contents)).Details.TotalTokenCount);
    }

    private static ChatResponseUpdate[] Script() =>
    [
        new(ChatRole.Assistant, "Hel") { ResponseId = "r" },
        new(ChatRole.Assistant, "lo") { ResponseId = "r" },
        new(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["q"] = "x" })]),
        new(null, [new UsageContent(new UsageDetails { InputTokenCount = 4, OutputTokenCount = 5, TotalTokenCount = 9 })]) { FinishReason = ChatFinishReason.Stop },
    ];

    private async IAsyncEnumerable<ChatResponseUpdate> UpstreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _streams);
        foreach (ChatResponseUpdate update in Script())
        {
            await Task.Yield();
            yield return update;
        }
    }

    private async Task<List<ChatResponseUpdate>> ReadAllAsync(LlmCacheRuntime runtime, CacheOutcome outcome)
    {
        var writer = new CacheKeyWriter(new byte[256]);
        runtime.WriteKeyHeader(ref writer, Method, default);
        writer.WriteString("a question");
        byte[] key = writer.WrittenSpan.ToArray();
        writer.Dispose();

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in runtime.GetOrCreateStreamAsync(
            Method, new CacheControl { Outcome = outcome }, key, CacheKeyDigests.ComputeInProcess(key), this, static (t, ct) => t.UpstreamAsync(ct)))
        {
            updates.Add(update);
        }

        return updates;
    }

    private static string[] Json(IEnumerable<ChatResponseUpdate> updates) =>
        updates.Select(u => JsonSerializer.Serialize(u, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponseUpdate)))).ToArray();

    private void Configure(RedisCacheStoreOptions options, string prefix)
    {
        options.Host = "127.0.0.1";
        options.Port = _server.Port;
        options.UseEnvironment = false;
        options.KeyPrefix = prefix;
    }
}
