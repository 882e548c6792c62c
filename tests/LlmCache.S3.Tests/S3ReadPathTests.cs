using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace LlmCache.S3.Tests;

/// <summary>What a read waits for, and namespaces that would not fit in an object key.</summary>
public sealed class S3ReadPathTests : IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3ReadPathTests(S3Server server) => _server = server;

    [Theory]
    [InlineData("expired")]
    [InlineData("unreadable")]
    public async Task A_read_that_finds_a_stale_object_returns_without_waiting_for_its_deletion(string kind)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var deletes = new StallingDeletes();
        S3CacheStoreOptions options = _server.StoreOptions();
        options.ConfigureClient = config => config.HttpClientFactory = deletes;
        using var store = new S3CacheStore(options, timeProvider: clock);
        var key = new CacheStoreKey("stale", RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));
        string objectKey = store.GetObjectKey(key);
        if (kind == "expired")
        {
            await store.SetAsync(key, new CacheEntry(Encoding.UTF8.GetBytes("v"), CachePayloadKind.Utf8String, clock.Now, clock.Now.AddMinutes(1)));
            clock.Now = clock.Now.AddMinutes(2);
        }
        else
        {
            await _server.WriteRawAsync(objectKey, RandomNumberGenerator.GetBytes(100));
        }

        CacheEntry? read = await store.GetAsync(key);

        Assert.Null(read);
        await deletes.Started.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, deletes.Ended);
        Assert.True(await _server.ExistsRawAsync(objectKey));

        // Released, the deletion goes through on its own.
        deletes.Release();
        await _server.WaitUntilGoneAsync(objectKey);
    }

    [Theory]
    [InlineData(300, 'a')]
    [InlineData(2000, 'n')]
    [InlineData(400, 'é')]
    public async Task A_namespace_too_long_for_an_object_key_works_and_keeps_apart_from_the_others(int length, char letter)
    {
        using S3CacheStore store = _server.CreateStore();
        string longNamespace = new string(letter, length);
        string similar = new string(letter, length - 1) + "x";
        byte[] digest = RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength);
        var key = new CacheStoreKey(longNamespace, digest);
        var neighbour = new CacheStoreKey(similar, digest);
        var shortKey = new CacheStoreKey("short", digest);
        CacheEntry entry = Entry("long");

        await store.SetAsync(key, entry);
        await store.SetAsync(neighbour, Entry("neighbour"));
        await store.SetAsync(shortKey, Entry("short"));

        Assert.Equal("long", Text(await store.GetAsync(key)));
        Assert.Equal("neighbour", Text(await store.GetAsync(neighbour)));
        Assert.True(Encoding.UTF8.GetByteCount(store.GetObjectKey(key)) <= 1024);
        Assert.All(store.GetObjectKey(key).Split('/'), segment => Assert.True(Encoding.UTF8.GetByteCount(segment) <= 255, segment));
        Assert.StartsWith(store.GetNamespacePrefix(longNamespace), store.GetObjectKey(key), StringComparison.Ordinal);

        await store.ClearNamespaceAsync(longNamespace);

        Assert.Null(await store.GetAsync(key));
        Assert.Equal("neighbour", Text(await store.GetAsync(neighbour)));
        Assert.Equal("short", Text(await store.GetAsync(shortKey)));
        Assert.True(await store.RemoveAsync(neighbour));
    }

    private static CacheEntry Entry(string text) =>
        new(Encoding.UTF8.GetBytes(text), CachePayloadKind.Utf8String, DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), null);

    private static string? Text(CacheEntry? entry) => entry is null ? null : Encoding.UTF8.GetString(entry.Payload.Span);
}
