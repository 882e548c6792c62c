using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using LlmCache.Testing;

namespace LlmCache.S3.Tests;

public sealed class S3CacheStoreTests : IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3CacheStoreTests(S3Server server) => _server = server;

    [Fact]
    public async Task ClearAllRemovesEntryObjectsUnderThePathOnly()
    {
        string path = "clear-all-" + Guid.NewGuid().ToString("N");
        using S3CacheStore store = _server.CreateStore(path);
        CacheStoreKey a = Key("a", "1");
        CacheStoreKey b = Key("b/c", "2");
        await store.SetAsync(a, Entry("x"));
        await store.SetAsync(b, Entry("y"));
        string digest = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        string[] foreign = { path + "/readme.txt", path + "/ns/not-a-digest", "elsewhere-" + path + "/ns/" + digest };
        foreach (string objectKey in foreign)
        {
            await _server.WriteRawAsync(objectKey, new byte[] { 1, 2, 3 });
        }

        await store.ClearAllAsync();

        Assert.Null(await store.GetAsync(a));
        Assert.Null(await store.GetAsync(b));
        foreach (string objectKey in foreign)
        {
            Assert.True(await _server.ExistsRawAsync(objectKey), $"'{objectKey}' is not an entry of the store, yet it was deleted");
        }
    }

    [Fact]
    public async Task RoundTripReturnsTheEntryAndRemoveDeletesIt()
    {
        using S3CacheStore store = _server.CreateStore();
        CacheStoreKey key = Key("ns", "hello");
        DateTimeOffset created = DateTimeOffset.UtcNow;
        var entry = new CacheEntry(Encoding.UTF8.GetBytes("world"), CachePayloadKind.Utf8String, created, created.AddHours(1));

        Assert.Null(await store.GetAsync(key));
        await store.SetAsync(key, entry);
        CacheEntry? read = await store.GetAsync(key);

        Assert.NotNull(read);
        Assert.Equal("world", Encoding.UTF8.GetString(read.Payload.Span));
        Assert.Equal(CachePayloadKind.Utf8String, read.Kind);
        Assert.Equal(created.ToUnixTimeMilliseconds(), read.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(entry.ExpiresAt!.Value.ToUnixTimeMilliseconds(), read.ExpiresAt!.Value.ToUnixTimeMilliseconds());

        Assert.True(await store.RemoveAsync(key));
        Assert.Null(await store.GetAsync(key));
        Assert.False(await store.RemoveAsync(key));
    }

    [Fact]
    public async Task SetReplacesTheEntry()
    {
        using S3CacheStore store = _server.CreateStore();
        CacheStoreKey key = Key("", "replace");
        await store.SetAsync(key, Entry("first"));
        await store.SetAsync(key, Entry("second"));

        CacheEntry? read = await store.GetAsync(key);
        Assert.Equal("second", Encoding.UTF8.GetString(read!.Payload.Span));
    }

    [Fact]
    public async Task FiveMegabytesComeBackByteIdentical()
    {
        using S3CacheStore store = _server.CreateStore();
        byte[] payload = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        CacheStoreKey key = Key("big", "five-megabytes");

        await store.SetAsync(key, new CacheEntry(payload, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null));
        CacheEntry? read = await store.GetAsync(key);

        Assert.NotNull(read);
        Assert.Equal(payload.Length, read.Payload.Length);
        Assert.True(read.Payload.Span.SequenceEqual(payload));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(300 * 1024)]
    public async Task TheStoredObjectIsExactlyTheEnvelopeWithoutChunkFraming(int payloadLength)
    {
        // s3rver keeps an aws-chunked body as it arrives, framing and all; only a plain upload stores the envelope.
        using S3CacheStore store = _server.CreateStore();
        var entry = new CacheEntry(RandomNumberGenerator.GetBytes(payloadLength), CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null);
        CacheStoreKey key = Key("raw", "framing-" + payloadLength);

        await store.SetAsync(key, entry);

        byte[] stored = await _server.ReadRawAsync(store.GetObjectKey(key));
        Assert.Equal(CacheEntryEnvelope.Encode(entry), stored);
    }

    [Fact]
    public async Task TheTestServerKeepsChunkFramingOfChunkedUploads()
    {
        // The premise of the test above: without UseChunkEncoding = false, this server stores different bytes.
        using AmazonS3Client raw = _server.CreateRawClient();
        byte[] body = RandomNumberGenerator.GetBytes(1000);
        string objectKey = "premise-" + Guid.NewGuid().ToString("N");
        using (var stream = new MemoryStream(body))
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = objectKey, InputStream = stream, UseChunkEncoding = true });
        }

        Assert.NotEqual(body, await _server.ReadRawAsync(objectKey));
    }

    [Fact]
    public async Task AnExpiredEntryIsAMissAndItsObjectIsDeleted()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using S3CacheStore store = _server.CreateStore(timeProvider: clock);
        CacheStoreKey key = Key("ttl", "expiring");
        await store.SetAsync(key, new CacheEntry(Encoding.UTF8.GetBytes("v"), CachePayloadKind.Utf8String, clock.Now, clock.Now.AddMinutes(10)));

        clock.Now = clock.Now.AddMinutes(9);
        Assert.NotNull(await store.GetAsync(key));
        Assert.True(await _server.ExistsRawAsync(store.GetObjectKey(key)));

        clock.Now = clock.Now.AddMinutes(1);
        Assert.Null(await store.GetAsync(key));
        await _server.WaitUntilGoneAsync(store.GetObjectKey(key));
    }

    [Fact]
    public async Task ObjectsAreLaidOutAsPathNamespaceHexAndEachNamespaceHasItsOwnPrefix()
    {
        string path = "tenants/" + Guid.NewGuid().ToString("N");
        using S3CacheStore store = _server.CreateStore("/" + path + "/");
        string[] namespaces = ["a", "a/b", "", "über cache", ".", "~"];
        var keys = namespaces.Select(ns => Key(ns, "same input")).ToArray();
        foreach (CacheStoreKey key in keys)
        {
            await store.SetAsync(key, Entry(key.Namespace));
        }

        string[] expected =
        [
            $"{path}/a/{keys[0].Hex}",
            $"{path}/a%2Fb/{keys[1].Hex}",
            $"{path}/~/{keys[2].Hex}",
            $"{path}/%C3%BCber%20cache/{keys[3].Hex}",
            $"{path}/%2E/{keys[4].Hex}",
            $"{path}/%7E/{keys[5].Hex}",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await _server.ListRawAsync(path + "/")).Order(StringComparer.Ordinal));
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(expected[i], store.GetObjectKey(keys[i]));
            Assert.Equal(namespaces[i], Encoding.UTF8.GetString((await store.GetAsync(keys[i]))!.Payload.Span));
        }
    }

    [Fact]
    public async Task ClearNamespaceRemovesOnlyThatNamespaceUnderThatPath()
    {
        string path = "clear-" + Guid.NewGuid().ToString("N");
        using S3CacheStore store = _server.CreateStore(path);
        using S3CacheStore neighbour = _server.CreateStore(path + "-other");

        // More than one list page (1,000 keys) and one delete batch.
        const int Many = 1_005;
        var cleared = Enumerable.Range(0, Many).Select(i => Key("a", "item " + i)).ToArray();
        await Parallel.ForEachAsync(cleared, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await store.SetAsync(key, Entry("x"), ct));
        CacheStoreKey nested = Key("a/b", "item 0");
        CacheStoreKey other = Key("b", "item 0");
        CacheStoreKey defaultNamespace = Key("", "item 0");
        CacheStoreKey neighbours = Key("a", "item 0");
        await store.SetAsync(nested, Entry("nested"));
        await store.SetAsync(other, Entry("other"));
        await store.SetAsync(defaultNamespace, Entry("default"));
        await neighbour.SetAsync(neighbours, Entry("neighbour"));
        Assert.Equal(Many, (await _server.ListRawAsync(store.GetNamespacePrefix("a"))).Count);

        await store.ClearNamespaceAsync("a");

        Assert.Empty(await _server.ListRawAsync(store.GetNamespacePrefix("a")));
        Assert.Null(await store.GetAsync(cleared[0]));
        Assert.Null(await store.GetAsync(cleared[^1]));
        Assert.NotNull(await store.GetAsync(nested));
        Assert.NotNull(await store.GetAsync(other));
        Assert.NotNull(await store.GetAsync(defaultNamespace));
        Assert.NotNull(await neighbour.GetAsync(neighbours));

        await store.ClearNamespaceAsync("");
        Assert.Null(await store.GetAsync(defaultNamespace));
        Assert.NotNull(await store.GetAsync(other));
    }

    [Fact]
    public async Task ClearingANamespaceObjectByObject_AsOnGoogleCloudStorage_RemovesThatNamespaceOnly()
    {
        S3CacheStoreOptions options = _server.StoreOptions();
        options.MultiObjectDelete = false;

        // The SDK's own retries, as the contract tests have them: s3rver answers some concurrent deletes with a 500.
        options.MaxErrorRetry = new S3CacheStoreOptions().MaxErrorRetry;
        using var store = new S3CacheStore(options);
        CacheStoreKey[] cleared = [Key("gone", "a"), Key("gone", "b"), Key("gone", "c")];
        CacheStoreKey kept = Key("kept", "a");
        foreach (CacheStoreKey key in cleared.Append(kept))
        {
            await store.SetAsync(key, Entry("v"));
        }

        await store.ClearNamespaceAsync("gone");

        foreach (CacheStoreKey key in cleared)
        {
            Assert.Null(await store.GetAsync(key));
        }

        Assert.NotNull(await store.GetAsync(kept));
    }

    [Fact]
    public async Task UnreadableObjectsAreMissesThatAreDeletedAndCounted()
    {
        using S3CacheStore store = _server.CreateStore();
        using var metric = new CorruptEntryCounter("s3");
        byte[] valid = CacheEntryEnvelope.Encode(Entry("a valid entry"));
        byte[] flipped = (byte[])valid.Clone();
        flipped[30] ^= 0x01;
        byte[] newerVersion = (byte[])valid.Clone();
        newerVersion[2] = 9;
        byte[][] bad =
        [
            RandomNumberGenerator.GetBytes(1024),
            [],
            valid[..^1],
            flipped,
            newerVersion,
            Encoding.UTF8.GetBytes("<Error>not an entry</Error>"),
        ];

        for (int i = 0; i < bad.Length; i++)
        {
            CacheStoreKey key = Key("corrupt", "entry " + i);
            string objectKey = store.GetObjectKey(key);
            await _server.WriteRawAsync(objectKey, bad[i]);
            Assert.True(await _server.ExistsRawAsync(objectKey));

            CacheEntry? read = await store.GetAsync(key);

            Assert.Null(read);
            await _server.WaitUntilGoneAsync(objectKey);
            Assert.Equal(i + 1, store.CorruptEntries);

            // The meter is process-wide: other S3 tests running in parallel may count unreadable entries of their own.
            Assert.True(metric.Count >= i + 1, $"The corrupt-entry meter counted {metric.Count} of {i + 1} unreadable entries.");
        }
    }

    [Fact]
    public async Task ThroughTheRuntimeBadBytesAreAMissAndNeverAValueOfTheWrongType()
    {
        using S3CacheStore store = _server.CreateStore();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.S3, store));
        var method = new CachedMethod<string>("LlmCache.S3.Tests.Corrupt.AskAsync(string)#v0", CacheType.S3, 0, "runtime-corrupt", CacheValueSerializer.String);
        int llmCalls = 0;
        string Llm(string prompt)
        {
            Interlocked.Increment(ref llmCalls);
            return "answer to " + prompt;
        }

        // Random bytes, and an intact envelope of the wrong kind (bytes, not UTF-8 text).
        var planted = new Dictionary<string, byte[]>
        {
            ["random"] = RandomNumberGenerator.GetBytes(4096),
            ["wrong kind"] = CacheEntryEnvelope.Encode(new CacheEntry(new byte[] { 0xFF, 0xFE, 0x00 }, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null)),
        };

        foreach ((string prompt, byte[] bytes) in planted)
        {
            string objectKey = store.GetObjectKey(GeneratedCall.StoreKey(runtime, method, prompt));
            await _server.WriteRawAsync(objectKey, bytes);
            int before = llmCalls;

            string answer = await GeneratedCall.AskAsync(runtime, method, prompt, Llm);

            Assert.Equal("answer to " + prompt, answer);
            Assert.Equal(before + 1, llmCalls);

            // The miss stored a good entry over the bad one: the next call is a hit from S3.
            Assert.True(CacheEntryEnvelope.TryDecode(await _server.ReadRawAsync(objectKey), out CacheEntry? replaced));
            Assert.Equal(CachePayloadKind.Utf8String, replaced!.Kind);
            Assert.Equal(answer, Encoding.UTF8.GetString(replaced.Payload.Span));
            var outcome = new CacheOutcome();
            Assert.Equal(answer, await GeneratedCall.AskAsync(runtime, method, prompt, Llm, new CacheControl { Outcome = outcome }));
            Assert.Equal(before + 1, llmCalls);
            Assert.Equal("s3", outcome.Tier);
        }
    }

    [Fact]
    public async Task UseS3RegistersAStoreThatTheRuntimeReadsAndWrites()
    {
        S3CacheStoreOptions settings = _server.StoreOptions();
        var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseS3(settings));
        var method = new CachedMethod<string>("LlmCache.S3.Tests.UseS3.AskAsync(string)#v0", CacheType.S3, 60, null, CacheValueSerializer.String);
        int llmCalls = 0;
        string Llm(string prompt) => $"{prompt} #{Interlocked.Increment(ref llmCalls)}";

        string first = await GeneratedCall.AskAsync(runtime, method, "q", Llm);
        string second = await GeneratedCall.AskAsync(runtime, method, "q", Llm);

        Assert.Equal("q #1", first);
        Assert.Equal(first, second);
        Assert.Equal(1, llmCalls);
        string objectKey = S3ObjectKeysFor(settings, GeneratedCall.StoreKey(runtime, method, "q"));
        Assert.True(CacheEntryEnvelope.TryDecode(await _server.ReadRawAsync(objectKey), out CacheEntry? stored));
        Assert.Equal(TimeSpan.FromSeconds(60), stored!.ExpiresAt - stored.CreatedAt);
    }

    [Fact]
    public async Task AnUnknownAccessKeyFailsAsAnErrorNotAsAMiss()
    {
        S3CacheStoreOptions settings = _server.StoreOptions();
        settings.AwsAccessKeyId = "NOT-S3RVER";
        using var store = new S3CacheStore(settings);

        AmazonS3Exception failure = await Assert.ThrowsAsync<AmazonS3Exception>(async () => await store.GetAsync(Key("", "x")));
        Assert.Equal(HttpStatusCode.Forbidden, failure.StatusCode);
        await Assert.ThrowsAsync<AmazonS3Exception>(async () => await store.SetAsync(Key("", "x"), Entry("x")));
    }

    private static string S3ObjectKeysFor(S3CacheStoreOptions settings, CacheStoreKey key)
    {
        using var store = new S3CacheStore(settings);
        return store.GetObjectKey(key);
    }

    private static CacheStoreKey Key(string @namespace, string input) => CacheStoreKey.FromCanonicalKey(@namespace, Encoding.UTF8.GetBytes(input));

    private static CacheEntry Entry(string text) => new(Encoding.UTF8.GetBytes(text), CachePayloadKind.Utf8String, DateTimeOffset.UtcNow, null);
}
