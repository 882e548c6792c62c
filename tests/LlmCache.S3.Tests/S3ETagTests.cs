using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace LlmCache.S3.Tests;

/// <summary>
/// A read rests on the envelope's checksum, not on the ETag: an ETag is the MD5 of the body only on some servers
/// (not under SSE-KMS, nor on S3-compatible servers that make their own, nor on s3rver after two writers of one
/// object raced), and the SDK's check of it would fail every read of an intact entry there.
/// </summary>
public sealed class S3ETagTests : IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3ETagTests(S3Server server) => _server = server;

    [Fact]
    public async Task An_entry_whose_ETag_is_not_the_MD5_of_its_body_reads_as_the_entry()
    {
        using var gets = new RewrittenGets(etag: "\"" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "\"");
        using S3CacheStore store = CreateStore(gets);
        var key = new CacheStoreKey("etag", RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));
        var entry = new CacheEntry(Encoding.UTF8.GetBytes("intact"), CachePayloadKind.Utf8String, DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), null);
        await store.SetAsync(key, entry);

        CacheEntry? read = await store.GetAsync(key);

        Assert.NotNull(read);
        Assert.Equal("intact", Encoding.UTF8.GetString(read.Payload.Span));
        Assert.Equal(entry.CreatedAt, read.CreatedAt);
        Assert.Equal(0, store.CorruptEntries);
    }

    [Fact]
    public async Task A_body_changed_on_the_way_with_its_ETag_left_alone_is_a_miss_counted_as_corrupt()
    {
        using var gets = new RewrittenGets(flipLastByte: true);
        using S3CacheStore store = CreateStore(gets);
        var key = new CacheStoreKey("etag", RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));
        await store.SetAsync(key, new CacheEntry(Encoding.UTF8.GetBytes("damaged"), CachePayloadKind.Utf8String, DateTimeOffset.UtcNow, null));

        Assert.Null(await store.GetAsync(key));
        Assert.Equal(1, store.CorruptEntries);
    }

    private S3CacheStore CreateStore(RewrittenGets gets)
    {
        S3CacheStoreOptions options = _server.StoreOptions();
        options.ConfigureClient = config => config.HttpClientFactory = gets;
        return new S3CacheStore(options);
    }
}
