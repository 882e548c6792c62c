using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LlmCache.Redis.Tests;

/// <summary>
/// <see cref="RedisVectorIndex"/> against a real Redis: instances, each with its own connection and in-process index,
/// stand for processes that share the server.
/// </summary>
public sealed class RedisVectorIndexTests : IClassFixture<RedisServer>
{
    private const string Scope = "scope-1";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    private readonly RedisServer _server;
    private readonly ITestOutputHelper _output;

    public RedisVectorIndexTests(RedisServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task AnUpsertThroughOneInstance_IsFoundByAnIndependentSecond_WithinOneSecond()
    {
        string prefix = RedisServer.UniquePrefix();
        await using SemanticInstance a = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        await using SemanticInstance b = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        VectorRecord record = SemanticInstance.Record("ns", Scope, 1);

        await a.Index.UpsertAsync(record);
        TimeSpan seen = await SemanticInstance.WaitUntilAsync(() => b.FindsAsync("ns", Scope, SemanticInstance.Vector(1), "id-1"), Generous, "the second instance finds the record");

        _output.WriteLine($"seen by the second instance after {seen.TotalMilliseconds:F0} ms");
        Assert.True(seen < TimeSpan.FromSeconds(1), $"The second instance found the record after {seen.TotalMilliseconds:F0} ms.");
        VectorMatch match = Assert.Single(await b.Index.SearchAsync("ns", Scope, SemanticInstance.Vector(1), 5));
        Assert.Equal("text 1", match.Text);
        Assert.InRange(match.Similarity, 0.999f, 1.001f);
        Assert.Empty(await b.Index.SearchAsync("ns", "another scope", SemanticInstance.Vector(1), 5));
        Assert.Empty(await b.Index.SearchAsync("other", Scope, SemanticInstance.Vector(1), 5));
        Assert.True(await a.FindsAsync("ns", Scope, SemanticInstance.Vector(1), "id-1"));
        Assert.NotNull(await _server.Connection.GetDatabase().KeyTimeToLiveAsync(a.Index.GetRedisKey("ns", Scope, "id-1")));
    }

    [Fact]
    public async Task Expiry_RemovesTheRecordFromBothInstances_AndFromRedis()
    {
        string prefix = RedisServer.UniquePrefix();
        await using SemanticInstance a = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        await using SemanticInstance b = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        VectorRecord shortLived = SemanticInstance.Record("ns", Scope, 2, TimeSpan.FromSeconds(2));
        VectorRecord longLived = SemanticInstance.Record("ns", Scope, 3);

        await a.Index.UpsertAsync(shortLived);
        await a.Index.UpsertAsync(longLived);
        await SemanticInstance.WaitUntilAsync(() => b.FindsAsync("ns", Scope, SemanticInstance.Vector(2), "id-2"), Generous, "the second instance finds the record");

        IDatabase database = _server.Connection.GetDatabase();
        string key = a.Index.GetRedisKey("ns", Scope, "id-2");
        await SemanticInstance.WaitUntilAsync(
            async () => !await a.FindsAsync("ns", Scope, SemanticInstance.Vector(2), "id-2") && !await b.FindsAsync("ns", Scope, SemanticInstance.Vector(2), "id-2") &&
                !await database.KeyExistsAsync(key) && a.Index.Count == 1 && b.Index.Count == 1,
            Generous,
            "the expired record is gone from both indexes, their memory and Redis");
        Assert.True(await b.FindsAsync("ns", Scope, SemanticInstance.Vector(3), "id-3"));
    }

    [Fact]
    public async Task RemoveAndClearNamespace_RemoveRecordsFromBothInstances_AndKeepOtherNamespaces()
    {
        string prefix = RedisServer.UniquePrefix();
        await using SemanticInstance a = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        await using SemanticInstance b = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        await a.Index.UpsertAsync(SemanticInstance.Record("one", Scope, 10));
        await a.Index.UpsertAsync(SemanticInstance.Record("one", Scope, 11));
        foreach (int seed in Enumerable.Range(20, 5))
        {
            await a.Index.UpsertAsync(SemanticInstance.Record("two", Scope, seed));
        }

        await a.Index.UpsertAsync(SemanticInstance.Record("two:more", Scope, 30));
        await SemanticInstance.WaitUntilAsync(() => Task.FromResult(b.Index.Count == 8), Generous, "the second instance holds every record");

        Assert.True(await a.Index.RemoveAsync("one", Scope, "id-10"));
        Assert.False(await a.FindsAsync("one", Scope, SemanticInstance.Vector(10), "id-10"));
        await SemanticInstance.WaitUntilAsync(async () => !await b.FindsAsync("one", Scope, SemanticInstance.Vector(10), "id-10"), Generous, "the removed record is gone from the second instance");
        Assert.False(await b.Index.RemoveAsync("one", Scope, "id-10"));

        await b.Index.ClearNamespaceAsync("two");
        Assert.Empty(await b.Index.SearchAsync("two", Scope, SemanticInstance.Vector(20), 5));
        await SemanticInstance.WaitUntilAsync(async () => (await a.Index.SearchAsync("two", Scope, SemanticInstance.Vector(20), 5)).Count == 0, Generous, "the cleared namespace is gone from the first instance");

        IDatabase database = _server.Connection.GetDatabase();
        Assert.All(Enumerable.Range(20, 5), seed => Assert.False(database.KeyExists(a.Index.GetRedisKey("two", Scope, $"id-{seed}"))));
        Assert.True(await a.FindsAsync("one", Scope, SemanticInstance.Vector(11), "id-11"));
        Assert.True(await a.FindsAsync("two:more", Scope, SemanticInstance.Vector(30), "id-30"));
        Assert.True(await b.FindsAsync("two:more", Scope, SemanticInstance.Vector(30), "id-30"));
        Assert.Equal(2, a.Index.Count);
        Assert.Equal(2, b.Index.Count);
    }

    [Fact]
    public async Task ANewInstance_LoadsTheRecordsAlreadyInRedis_AndNothingIsEmbeddedAgain()
    {
        string prefix = RedisServer.UniquePrefix();
        const int Records = 300;
        await using (SemanticInstance writer = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix)))
        {
            for (int seed = 0; seed < Records; seed++)
            {
                await writer.Index.UpsertAsync(SemanticInstance.Record(seed % 2 == 0 ? "even" : "odd", Scope, seed));
            }
        }

        // Bytes that are not a record, under a record's key: skipped and logged, never loaded.
        RedisVectorIndexOptions options = SemanticInstance.Options(prefix);
        await _server.Connection.GetDatabase().StringSetAsync(options.KeyPrefix + "even:" + new string('0', 32), "not a record");

        await using SemanticInstance started = await SemanticInstance.StartAsync(_server.StoreOptions(), options);

        // The new instance was given no vector: all it holds came from Redis.
        Assert.Equal(Records, started.Index.Count);
        Assert.Equal(Records, started.Local.Upserts);
        foreach (int seed in new[] { 0, 1, 150, 255, 256, 299 })
        {
            Assert.True(await started.FindsAsync(seed % 2 == 0 ? "even" : "odd", Scope, SemanticInstance.Vector(seed), $"id-{seed}"), $"record {seed} not found");
        }

        Assert.Equal(1, started.Logged(113));
        RedisResult bytes = await _server.Connection.GetDatabase().ExecuteAsync("MEMORY", "USAGE", started.Index.GetRedisKey("even", Scope, "id-0"));
        _output.WriteLine($"Redis memory of one 384-dimension record: {(long)bytes} bytes");
        Assert.DoesNotContain(started.Logs.Records, record => record.Message.Contains("text ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInstanceThatFellBehindTheTrimmedStream_ReloadsEveryRecord()
    {
        string prefix = RedisServer.UniquePrefix();
        RedisVectorIndexOptions writerOptions = SemanticInstance.Options(prefix);
        writerOptions.StreamLength = 10;
        RedisVectorIndexOptions slowOptions = SemanticInstance.Options(prefix);
        slowOptions.PollInterval = TimeSpan.FromSeconds(3);
        slowOptions.MaxStaleness = TimeSpan.FromSeconds(30);
        await using SemanticInstance writer = await SemanticInstance.StartAsync(_server.StoreOptions(), writerOptions);
        await using SemanticInstance slow = await SemanticInstance.StartAsync(_server.StoreOptions(), slowOptions);

        // While the slow instance waits for its next read, the stream is trimmed well past the last change it read
        // (MAXLEN ~ trims whole nodes of 100 entries): it must reload rather than follow what is left.
        const int Records = 350;
        for (int seed = 0; seed < Records; seed++)
        {
            await writer.Index.UpsertAsync(SemanticInstance.Record("ns", Scope, 1000 + seed));
        }

        long streamLength = await _server.Connection.GetDatabase().StreamLengthAsync(writerOptions.KeyPrefix + "changes");
        Assert.True(streamLength < Records, $"the stream was not trimmed ({streamLength} entries)");
        await SemanticInstance.WaitUntilAsync(() => Task.FromResult(slow.Index.Count == Records), Generous, "the slow instance holds every record");
        Assert.True(await slow.FindsAsync("ns", Scope, SemanticInstance.Vector(1000), "id-1000"));
    }

    [Fact]
    public async Task AnOutage_SurfacesAsExceptions_IsLoggedOnce_AndTheLoopRecoversAfterTheRestart()
    {
        using var server = new RedisServer();
        string prefix = RedisServer.UniquePrefix();
        RedisVectorIndexOptions options = SemanticInstance.Options(prefix);
        options.MaxStaleness = TimeSpan.FromSeconds(1);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
        await using SemanticInstance a = await SemanticInstance.StartAsync(server.StoreOptions(), options);
        await using SemanticInstance b = await SemanticInstance.StartAsync(server.StoreOptions(), options);
        await a.Index.UpsertAsync(SemanticInstance.Record("ns", Scope, 40));
        await SemanticInstance.WaitUntilAsync(() => FindsWhenFreshAsync(b, 40), Generous, "the second instance finds the record");

        // On a loaded machine a read may have timed out once already: count from here.
        int aLost = a.Logged(110);
        int bLost = b.Logged(110);
        server.Stop();
        await Assert.ThrowsAnyAsync<Exception>(async () => await a.Index.UpsertAsync(SemanticInstance.Record("ns", Scope, 41)));
        await Assert.ThrowsAnyAsync<Exception>(async () => await a.Index.RemoveAsync("ns", Scope, "id-40"));
        TimeSpan refused = await SemanticInstance.WaitUntilAsync(() => Throws(() => b.FindsAsync("ns", Scope, SemanticInstance.Vector(40), "id-40")), Generous, "a search refuses the stale view");

        // Well past a few retries of the loop (100 ms doubling to 500 ms): still one error each.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(aLost + 1, a.Logged(110));
        Assert.Equal(bLost + 1, b.Logged(110));

        // Restarted empty (no persistence): the stream is gone, so both reload, and the old record is gone too.
        server.Start();
        var restarted = Stopwatch.StartNew();
        await SemanticInstance.WaitUntilAsync(() => Succeeds(() => a.Index.UpsertAsync(SemanticInstance.Record("ns", Scope, 42)).AsTask()), TimeSpan.FromSeconds(30), "an upsert succeeds after the restart");
        await SemanticInstance.WaitUntilAsync(() => Succeeds(() => b.FindsAsync("ns", Scope, SemanticInstance.Vector(42), "id-42")), TimeSpan.FromSeconds(30), "the second instance finds a record written after the restart");
        await SemanticInstance.WaitUntilAsync(() => Succeeds(() => a.Index.SearchAsync("ns", Scope, SemanticInstance.Vector(42), 1).AsTask()), TimeSpan.FromSeconds(30), "the first instance searches again");
        Assert.False(await FindsWhenFreshAsync(a, 40));
        Assert.False(await FindsWhenFreshAsync(b, 40));

        _output.WriteLine($"searches refused {refused.TotalMilliseconds:F0} ms into the outage; recovered {restarted.ElapsedMilliseconds} ms after the restart");
        foreach ((string name, SemanticInstance instance) in new[] { ("a", a), ("b", b) })
        {
            foreach (LogRecord record in instance.Logs.Records)
            {
                _output.WriteLine($"{name}: {record.EventId.Id} {record.Level} {record.Message}");
            }
        }

        Assert.True(b.Logged(111) >= 1, "the second instance did not log that it reads Redis again");
    }

    [Fact]
    public async Task ConcurrentWritesOfOneRecordFromTwoInstances_LeaveBothIndexesHoldingWhatRedisHolds()
    {
        string prefix = RedisServer.UniquePrefix();
        await using SemanticInstance a = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        await using SemanticInstance b = await SemanticInstance.StartAsync(_server.StoreOptions(), SemanticInstance.Options(prefix));
        float[] query = SemanticInstance.Vector(50);

        async Task WriteAsync(SemanticInstance instance, string name)
        {
            for (int i = 0; i < 40; i++)
            {
                await instance.Index.UpsertAsync(new VectorRecord("ns", Scope, "shared", query, $"{name} {i}", DateTimeOffset.UtcNow.AddMinutes(5)));
                if (i % 10 == 9)
                {
                    await instance.Index.RemoveAsync("ns", Scope, "shared");
                }
            }
        }

        await Task.WhenAll(Task.Run(() => WriteAsync(a, "a")), Task.Run(() => WriteAsync(b, "b")));

        string key = a.Index.GetRedisKey("ns", Scope, "shared");
        async Task<string?> TextOf(SemanticInstance instance) =>
            (await instance.Index.SearchAsync("ns", Scope, query, 1)) is [VectorMatch match] ? match.Text : null;
        await SemanticInstance.WaitUntilAsync(
            async () =>
            {
                RedisValue stored = await _server.Connection.GetDatabase().StringGetAsync(key);
                string? inRedis = stored.IsNull ? null : RedisVectorRecordFormat.TryDecode((byte[])stored!, out VectorRecord record) ? record.Text : "unreadable";
                return await TextOf(a) == inRedis && await TextOf(b) == inRedis;
            },
            Generous,
            "both indexes hold the record Redis holds");
    }

    [Fact]
    public void TheRecordFormat_RoundTrips_AndRejectsEveryTruncationAndFlippedByte()
    {
        var record = new VectorRecord("ns", "scope", "id", new[] { 1f, -2.5f, 3.25f }, "a text é", DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123));
        byte[] stored = RedisVectorRecordFormat.Encode(record);

        Assert.True(RedisVectorRecordFormat.TryDecode(stored, out VectorRecord decoded));
        Assert.Equal((record.Namespace, record.Scope, record.Id, record.Text, record.ExpiresAt), (decoded.Namespace, decoded.Scope, decoded.Id, decoded.Text, decoded.ExpiresAt));
        Assert.Equal(record.Vector.ToArray(), decoded.Vector.ToArray());
        Assert.True(RedisVectorRecordFormat.TryDecode(RedisVectorRecordFormat.Encode(record with { ExpiresAt = null }), out VectorRecord forever));
        Assert.Null(forever.ExpiresAt);
        for (int length = 0; length < stored.Length; length++)
        {
            Assert.False(RedisVectorRecordFormat.TryDecode(stored.AsSpan(0, length), out _), $"a record cut to {length} bytes was read");
        }

        for (int at = 0; at < stored.Length; at++)
        {
            byte[] flipped = (byte[])stored.Clone();
            flipped[at] ^= 0x10;
            Assert.False(RedisVectorRecordFormat.TryDecode(flipped, out _), $"a record with byte {at} flipped was read");
        }
    }

    [Fact]
    public void Options_AreValidated_WithMessagesThatNameTheSetting()
    {
        using var store = new RedisCacheStore(_server.StoreOptions());
        ArgumentOutOfRangeException stream = Assert.Throws<ArgumentOutOfRangeException>(() => new RedisVectorIndex(store, new RedisVectorIndexOptions { StreamLength = 0 }));
        Assert.Contains("StreamLength", stream.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisVectorIndex(store, new RedisVectorIndexOptions { PollInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisVectorIndex(store, new RedisVectorIndexOptions { MaxStaleness = TimeSpan.FromMilliseconds(50) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisVectorIndex(store, new RedisVectorIndexOptions { ResyncInterval = TimeSpan.FromSeconds(-2) }));
        Assert.Throws<ArgumentNullException>(() => new RedisVectorIndex(store, new RedisVectorIndexOptions { KeyPrefix = null! }));
        using var unbounded = new RedisVectorIndex(store, new RedisVectorIndexOptions { ResyncInterval = System.Threading.Timeout.InfiniteTimeSpan });
    }

    private static async Task<bool> Throws(Func<Task> action) => !await Succeeds(action);

    /// <summary>
    /// Whether <paramref name="instance"/> finds the record of <paramref name="seed"/>, asked again while its search
    /// refuses a stale view: with a MaxStaleness of 1 s, a poll that a loaded machine delays past it makes the search
    /// throw (as it should) until the next read, which says nothing yet about the record.
    /// </summary>
    private static async Task<bool> FindsWhenFreshAsync(SemanticInstance instance, int seed)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await instance.FindsAsync("ns", Scope, SemanticInstance.Vector(seed), $"id-{seed}");
            }
            catch (TimeoutException) when (clock.Elapsed < Generous)
            {
                await Task.Delay(10);
            }
        }
    }

    private static async Task<bool> Succeeds(Func<Task<bool>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    private static async Task<bool> Succeeds(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            return false;
        }
    }
}
