using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using LlmCache.Testing;

namespace LlmCache.S3.Tests;

/// <summary>What a read waits for, and namespaces that would not fit in an object key.</summary>
public sealed class S3ReadPathTests : IClassFixture<S3Server>
{
    private const int DeleteFailedEvent = 202;
    private const int DeleteSkippedEvent = 204;

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
    [InlineData("expired")]
    [InlineData("unreadable")]
    public async Task The_stores_own_write_after_a_stale_read_waits_for_the_clean_up_and_is_never_deleted_by_it(string kind)
    {
        using var deletes = new StallingDeletes();
        S3CacheStoreOptions options = _server.StoreOptions();
        options.ConfigureClient = config => config.HttpClientFactory = deletes;
        using var store = new S3CacheStore(options);
        var key = new CacheStoreKey("stale", RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));
        string objectKey = store.GetObjectKey(key);
        DateTimeOffset created = DateTimeOffset.UtcNow.AddMinutes(-10);
        byte[] planted = kind == "expired"
            ? CacheEntryEnvelope.Encode(new CacheEntry(Encoding.UTF8.GetBytes("stale"), CachePayloadKind.Utf8String, created, created.AddMinutes(1)))
            : RandomNumberGenerator.GetBytes(100);
        await _server.WriteRawAsync(objectKey, planted);
        string plantedETag = await _server.ETagRawAsync(objectKey);

        Assert.Null(await store.GetAsync(key));
        await deletes.Started.WaitAsync(TimeSpan.FromSeconds(30));

        // The miss writes the model's answer while the clean-up is still held. A write that did not wait for it
        // would reach the handler at once, and the delete released after it would remove the fresh entry.
        Task write = store.SetAsync(key, Entry("fresh")).AsTask();
        await Task.WhenAny(deletes.FirstPut, Task.Delay(TimeSpan.FromSeconds(1)));
        deletes.Release();
        await write;

        Assert.Equal(["DELETE answered", "PUT sent"], deletes.Events);
        Assert.Equal([plantedETag], deletes.IfMatch);
        Assert.Equal("fresh", Text(await store.GetAsync(key)));
    }

    [Fact]
    public async Task A_clean_up_that_finds_the_object_rewritten_leaves_it_and_is_not_a_failure()
    {
        // The handler answers the delete as S3 does when the object's ETag no longer matches the If-Match.
        using var deletes = new StallingDeletes(preconditionFailed: true);
        var log = new RecordingLoggerFactory();
        S3CacheStoreOptions options = _server.StoreOptions();
        options.ConfigureClient = config => config.HttpClientFactory = deletes;
        using var store = new S3CacheStore(options, log.CreateLogger<S3CacheStore>());
        var key = new CacheStoreKey("rewritten", RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));
        string objectKey = store.GetObjectKey(key);
        await _server.WriteRawAsync(objectKey, RandomNumberGenerator.GetBytes(100));

        Assert.Null(await store.GetAsync(key));
        deletes.Release();

        var clock = Stopwatch.StartNew();
        while (log.Count(DeleteSkippedEvent) + log.Count(DeleteFailedEvent) == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "The clean-up logged neither its skip nor a failure within 20 s.");
            await Task.Delay(20);
        }

        Assert.Equal(1, log.Count(DeleteSkippedEvent));
        Assert.Equal(0, log.Count(DeleteFailedEvent));
        Assert.Single(deletes.IfMatch, etag => !string.IsNullOrEmpty(etag));
        Assert.True(await _server.ExistsRawAsync(objectKey));
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
