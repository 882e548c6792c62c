using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;
using LlmCache.Redis.Tests.Support;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests;

/// <summary>The store against one real redis-server.</summary>
public sealed class RedisCacheStoreTests : IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisServer _server;
    private readonly RedisCacheStore _store;

    public RedisCacheStoreTests(RedisServer server)
    {
        _server = server;

        // A generous connect timeout: the first test of the class connects while the other test projects load the machine.
        RedisCacheStoreOptions options = server.StoreOptions();
        options.ConnectTimeout = TimeSpan.FromSeconds(10);
        _store = new RedisCacheStore(options);
    }

    private IDatabase Db => _server.Connection.GetDatabase();

    public void Dispose() => _store.Dispose();

    internal static CacheStoreKey NewKey(string @namespace = "ns") => new(@namespace, RandomNumberGenerator.GetBytes(32));

    internal static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    internal static CacheEntry NewEntry(int size = 100, TimeSpan? ttl = null, CachePayloadKind kind = CachePayloadKind.Bytes)
    {
        DateTimeOffset now = Now();
        return new CacheEntry(RandomNumberGenerator.GetBytes(size), kind, now, ttl is { } t ? now + t : null);
    }

    [Fact]
    public async Task ClearAll_RemovesEntryKeysUnderThePrefixOnly()
    {
        string prefix = RedisServer.UniquePrefix();
        using var store = new RedisCacheStore(_server.Connection, _server.StoreOptions(prefix));
        CacheStoreKey a = NewKey("a");
        CacheStoreKey b = NewKey("b:c");
        await store.SetAsync(a, NewEntry());
        await store.SetAsync(b, NewEntry());
        string[] foreign = { prefix + "settings", prefix + "ns:not-a-digest", "other-app:" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant() };
        foreach (string key in foreign)
        {
            await Db.StringSetAsync(key, "keep");
        }

        await store.ClearAllAsync();

        Assert.Null(await store.GetAsync(a));
        Assert.Null(await store.GetAsync(b));
        foreach (string key in foreign)
        {
            Assert.Equal("keep", (string?)await Db.StringGetAsync(key));
            await Db.KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task RoundTrip_ReturnsTheSameBytesKindAndTimes()
    {
        CacheStoreKey key = NewKey();
        CacheEntry entry = NewEntry(2048, TimeSpan.FromMinutes(5), CachePayloadKind.Utf8String);

        await _store.SetAsync(key, entry);
        CacheEntry? read = await _store.GetAsync(key);

        Assert.NotNull(read);
        Assert.Equal(entry.Payload.ToArray(), read.Payload.ToArray());
        Assert.Equal(entry.Kind, read.Kind);
        Assert.Equal(entry.CreatedAt, read.CreatedAt);
        Assert.Equal(entry.ExpiresAt, read.ExpiresAt);
        Assert.Null(await _store.GetAsync(NewKey()));
    }

    [Fact]
    public async Task LargeValue_OfFiveMegabytes_IsByteIdentical()
    {
        CacheStoreKey key = NewKey();
        CacheEntry entry = NewEntry(5 * 1024 * 1024);

        await _store.SetAsync(key, entry);
        CacheEntry? read = await _store.GetAsync(key);

        Assert.NotNull(read);
        Assert.True(entry.Payload.Span.SequenceEqual(read.Payload.Span));
    }

    [Fact]
    public async Task Expiry_IsTheKeysNativeTtl()
    {
        CacheStoreKey expiring = NewKey();
        CacheStoreKey lasting = NewKey();
        await _store.SetAsync(expiring, NewEntry(ttl: TimeSpan.FromSeconds(30)));
        await _store.SetAsync(lasting, NewEntry());

        TimeSpan? ttl = await Db.KeyTimeToLiveAsync(_store.GetRedisKey(expiring));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
        Assert.True(await Db.KeyExistsAsync(_store.GetRedisKey(lasting)));
        Assert.Null(await Db.KeyTimeToLiveAsync(_store.GetRedisKey(lasting)));
    }

    [Fact]
    public async Task ShortTtl_IsExpiredByRedisItself()
    {
        CacheStoreKey key = NewKey();
        TimeSpan ttl = TimeSpan.FromMilliseconds(500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _store.SetAsync(key, NewEntry(ttl: ttl));
        CacheEntry? live = await _store.GetAsync(key);
        if (clock.Elapsed < ttl - TimeSpan.FromMilliseconds(50))
        {
            // Only a read well inside the TTL must hit: on a loaded machine the read may come later.
            Assert.NotNull(live);
        }

        // Wait for Redis to drop the key (a condition, not a fixed sleep), and never before its TTL.
        while (await Db.KeyExistsAsync(_store.GetRedisKey(key)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "Redis still held the key 20 s after its TTL.");
            await Task.Delay(20);
        }

        Assert.True(clock.Elapsed >= ttl - TimeSpan.FromMilliseconds(50), $"The key went after {clock.Elapsed.TotalMilliseconds:F0} ms, before its TTL.");
        Assert.Null(await _store.GetAsync(key));
    }

    [Fact]
    public async Task SettingAnAlreadyExpiredEntry_LeavesTheSharedKeyAsItWas()
    {
        CacheStoreKey key = NewKey();
        await _store.SetAsync(key, NewEntry());
        string redisKey = _store.GetRedisKey(key);
        byte[] before = (byte[])(await Db.StringGetAsync(redisKey))!;
        DateTimeOffset now = Now();

        await _store.SetAsync(key, new CacheEntry(new byte[] { 1 }, CachePayloadKind.Bytes, now - TimeSpan.FromMinutes(2), now - TimeSpan.FromMinutes(1)));
        await _store.SetAsync(key, new CacheEntry(new byte[] { 2 }, CachePayloadKind.Bytes, now, now));

        Assert.Equal(before, (byte[])(await Db.StringGetAsync(redisKey))!);
    }

    [Fact]
    public async Task Keys_AreThePrefixTheNamespaceAndTheDigestInHex()
    {
        string prefix = RedisServer.UniquePrefix();
        using var store = new RedisCacheStore(_server.StoreOptions(prefix));
        CacheStoreKey key = NewKey("tenant-7");

        await store.SetAsync(key, NewEntry());

        string expected = prefix + "tenant-7:" + Convert.ToHexString(key.Digest).ToLowerInvariant();
        Assert.Equal(expected, store.GetRedisKey(key));
        Assert.True(await Db.KeyExistsAsync(expected));
    }

    [Fact]
    public async Task Remove_DeletesTheKeyAndSaysWhetherItWasThere()
    {
        CacheStoreKey key = NewKey();
        await _store.SetAsync(key, NewEntry());

        Assert.True(await _store.RemoveAsync(key));
        Assert.False(await _store.RemoveAsync(key));
        Assert.Null(await _store.GetAsync(key));
        Assert.False(await Db.KeyExistsAsync(_store.GetRedisKey(key)));
    }

    [Fact]
    public async Task ClearNamespace_RemovesOnlyThatNamespacesKeys()
    {
        string prefix = RedisServer.UniquePrefix();
        RedisCacheStoreOptions options = _server.StoreOptions(prefix);
        options.ScanPageSize = 7;
        using var store = new RedisCacheStore(options);
        CacheStoreKey[] inA = Enumerable.Range(0, 40).Select(_ => NewKey("a")).ToArray();
        CacheStoreKey[] inAb = Enumerable.Range(0, 5).Select(_ => NewKey("a:b")).ToArray();
        CacheStoreKey[] inDefault = Enumerable.Range(0, 5).Select(_ => NewKey(string.Empty)).ToArray();
        CacheStoreKey[] inStar = Enumerable.Range(0, 3).Select(_ => NewKey("*")).ToArray();
        foreach (CacheStoreKey key in inA.Concat(inAb).Concat(inDefault).Concat(inStar))
        {
            await store.SetAsync(key, NewEntry());
        }

        string foreign = prefix + "a:not-an-entry";
        await Db.StringSetAsync(foreign, "kept");

        await store.ClearNamespaceAsync("a");

        foreach (CacheStoreKey key in inA)
        {
            Assert.False(await Db.KeyExistsAsync(store.GetRedisKey(key)));
        }

        foreach (CacheStoreKey key in inAb.Concat(inDefault).Concat(inStar))
        {
            Assert.NotNull(await store.GetAsync(key));
        }

        Assert.Equal("kept", (string?)await Db.StringGetAsync(foreign));

        // A namespace that is a glob pattern matches only itself.
        await store.ClearNamespaceAsync("*");
        Assert.All(inStar, key => Assert.False(Db.KeyExists(store.GetRedisKey(key))));
        Assert.All(inDefault, key => Assert.True(Db.KeyExists(store.GetRedisKey(key))));

        await store.ClearNamespaceAsync(string.Empty);
        Assert.All(inDefault, key => Assert.False(Db.KeyExists(store.GetRedisKey(key))));
        Assert.All(inAb, key => Assert.True(Db.KeyExists(store.GetRedisKey(key))));
    }

    [Fact]
    public async Task Namespaces_AreIsolated()
    {
        byte[] digest = RandomNumberGenerator.GetBytes(32);
        var inA = new CacheStoreKey("a", digest);
        var inB = new CacheStoreKey("b", digest);
        await _store.SetAsync(inA, NewEntry());

        Assert.NotNull(await _store.GetAsync(inA));
        Assert.Null(await _store.GetAsync(inB));
    }

    public static TheoryData<string> Corruptions() => new() { "random", "truncated", "checksum", "version", "empty", "text" };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task UnreadableBytes_AreAMiss_AreDeleted_AndCounted(string corruption)
    {
        CacheStoreKey key = NewKey();
        await Db.StringSetAsync(_store.GetRedisKey(key), Corrupt(corruption));
        long before = _store.CorruptEntries;

        CacheEntry? read = await _store.GetAsync(key);

        Assert.Null(read);
        Assert.Equal(before + 1, _store.CorruptEntries);

        // The deletion runs off the read's path: wait for it rather than race it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await Db.KeyExistsAsync(_store.GetRedisKey(key)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "The unreadable entry was not deleted within 10 s of the read.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AnUnreadableEntry_IsDeletedOnlyWhileItStillHoldsTheBytesThatWereRead()
    {
        string redisKey = _store.GetRedisKey(NewKey());
        byte[] unreadable = Corrupt("random");
        byte[] fresh = CacheEntryEnvelope.Encode(NewEntry());

        // Another writer stored a fresh entry between the read of the unreadable bytes and their deletion.
        await Db.StringSetAsync(redisKey, fresh);
        Assert.False(await RedisCacheStore.UnlinkIfUnchangedAsync(Db, redisKey, unreadable));
        Assert.Equal(fresh, (byte[]?)await Db.StringGetAsync(redisKey));

        await Db.StringSetAsync(redisKey, unreadable);
        Assert.True(await RedisCacheStore.UnlinkIfUnchangedAsync(Db, redisKey, unreadable));
        Assert.False(await Db.KeyExistsAsync(redisKey));
        Assert.False(await RedisCacheStore.UnlinkIfUnchangedAsync(Db, redisKey, unreadable));
    }

    internal static byte[] Corrupt(string corruption)
    {
        byte[] valid = CacheEntryEnvelope.Encode(NewEntry(64, TimeSpan.FromMinutes(5), CachePayloadKind.Utf8String));
        switch (corruption)
        {
            case "random":
                return RandomNumberGenerator.GetBytes(200);
            case "truncated":
                return valid.AsSpan(0, valid.Length - 5).ToArray();
            case "checksum":
                valid[30] ^= 0x40;
                return valid;
            case "version":
                valid[2] = 99;
                return valid;
            case "empty":
                return [];
            case "text":
                return "answer to something"u8.ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null);
        }
    }
}
