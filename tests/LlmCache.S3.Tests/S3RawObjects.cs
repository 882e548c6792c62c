using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;

namespace LlmCache.S3.Tests;

/// <summary>Reads and writes the test bucket's objects behind the store's back, with a client of the tests' own.</summary>
public static class S3RawObjects
{
    public static async Task<byte[]> ReadRawAsync(this S3Server server, string objectKey)
    {
        using AmazonS3Client raw = server.CreateRawClient();
        using GetObjectResponse response = await raw.GetObjectAsync(S3Server.Bucket, objectKey);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static async Task WriteRawAsync(this S3Server server, string objectKey, byte[] bytes)
    {
        using AmazonS3Client raw = server.CreateRawClient();
        using var body = new MemoryStream(bytes);
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = objectKey, InputStream = body, UseChunkEncoding = false });
    }

    public static async Task<string> ETagRawAsync(this S3Server server, string objectKey)
    {
        using AmazonS3Client raw = server.CreateRawClient();
        GetObjectMetadataResponse metadata = await raw.GetObjectMetadataAsync(S3Server.Bucket, objectKey);
        return metadata.ETag;
    }

    public static async Task<bool> ExistsRawAsync(this S3Server server, string objectKey)
    {
        using AmazonS3Client raw = server.CreateRawClient();
        try
        {
            await raw.GetObjectMetadataAsync(S3Server.Bucket, objectKey);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Stale and unreadable objects are deleted off the read's path: wait for it rather than race it.</summary>
    public static async Task WaitUntilGoneAsync(this S3Server server, string objectKey)
    {
        var clock = Stopwatch.StartNew();
        while (await server.ExistsRawAsync(objectKey))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"'{objectKey}' was not deleted within 20 s of the read.");
            await Task.Delay(50);
        }
    }

    public static async Task<List<string>> ListRawAsync(this S3Server server, string prefix)
    {
        using AmazonS3Client raw = server.CreateRawClient();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = prefix };
        while (true)
        {
            ListObjectsV2Response page = await raw.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            if (page.IsTruncated != true)
            {
                return keys;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
