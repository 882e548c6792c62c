using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace LlmCache.S3.Tests;

/// <summary>
/// The request shapes the S3 store sends to Google Cloud Storage's XML API (endpoint <c>storage.googleapis.com</c>),
/// which has no multi-object delete and stores aws-chunked framing as content. The requests are answered in memory
/// by <see cref="RecordingS3Handler"/>: nothing is sent to Google.
/// </summary>
public sealed class S3GoogleCloudStorageTests
{
    private const string GcsEndpoint = "https://storage.googleapis.com";

    [Fact]
    public async Task Clearing_a_namespace_on_gcs_deletes_object_by_object_and_never_posts_a_multi_object_delete()
    {
        using var handler = new RecordingS3Handler("p/ns/a", "p/ns/b", "p/ns/c");
        using S3CacheStore store = CreateStore(GcsEndpoint, handler);

        await store.ClearNamespaceAsync("ns");

        Assert.DoesNotContain(handler.Requests, r => r.Method == "POST");
        Assert.Equal(
            new[] { "/bucket/p/ns/a", "/bucket/p/ns/b", "/bucket/p/ns/c" },
            handler.Requests.Where(r => r.Method == "DELETE").Select(r => r.Uri.AbsolutePath).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:4568", null, true)]
    [InlineData(GcsEndpoint, true, true)]
    [InlineData("http://127.0.0.1:4568", false, false)]
    public async Task MultiObjectDelete_chooses_between_one_batch_post_and_single_deletes(string endpoint, bool? multiObjectDelete, bool batch)
    {
        using var handler = new RecordingS3Handler("p/ns/a", "p/ns/b");
        using S3CacheStore store = CreateStore(endpoint, handler, multiObjectDelete);

        await store.ClearNamespaceAsync("ns");

        Assert.Equal(batch ? 1 : 0, handler.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(batch ? 0 : 2, handler.Requests.Count(r => r.Method == "DELETE"));
    }

    [Fact]
    public async Task A_write_to_gcs_is_a_plain_body_with_no_checksum_headers_and_no_chunked_signing()
    {
        using var handler = new RecordingS3Handler();
        using S3CacheStore store = CreateStore(GcsEndpoint, handler);
        DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var entry = new CacheEntry(Encoding.UTF8.GetBytes("answer"), CachePayloadKind.Utf8String, now, null);

        await store.SetAsync(new CacheStoreKey("ns", RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength)), entry);

        RecordedRequest put = Assert.Single(handler.Requests, r => r.Method == "PUT");
        Assert.Equal("storage.googleapis.com", put.Uri.Host);
        Assert.StartsWith("/bucket/p/ns/", put.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(CacheEntryEnvelope.Encode(entry), put.Body);
        Assert.Equal(put.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), put.Headers["Content-Length"]);
        Assert.DoesNotContain(put.Headers.Keys, name => name.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase) || name.Equals("x-amz-sdk-checksum-algorithm", StringComparison.OrdinalIgnoreCase) || name.Equals("x-amz-trailer", StringComparison.OrdinalIgnoreCase) || name.Equals("x-amz-decoded-content-length", StringComparison.OrdinalIgnoreCase));
        Assert.False(put.Headers.TryGetValue("Content-Encoding", out string? encoding) && encoding.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase), "The body was sent aws-chunked.");
        Assert.DoesNotContain("STREAMING", put.Headers.GetValueOrDefault("x-amz-content-sha256") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("AWS4-HMAC-SHA256", put.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/auto/s3/aws4_request", put.Headers["Authorization"], StringComparison.Ordinal);
    }

    private static S3CacheStore CreateStore(string endpoint, RecordingS3Handler handler, bool? multiObjectDelete = null) => new(new S3CacheStoreOptions
    {
        BucketName = "bucket",
        EndpointUrl = endpoint,
        RegionName = "auto",
        Path = "p",
        AwsAccessKeyId = "GOOG1EXAMPLE",
        AwsSecretAccessKey = "example-secret",
        MaxErrorRetry = 0,
        MultiObjectDelete = multiObjectDelete,
        ConfigureClient = config => config.HttpClientFactory = handler,
    });
}
