using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using StackExchange.Redis;

namespace LlmCache.Chaos.Tests;

/// <summary>The bytes behind a store, reached without the store: a file, a Redis string, an S3 object.</summary>
public interface IRawStore
{
    string Name { get; }

    /// <summary>Where every entry of the store is now.</summary>
    Task<IReadOnlyCollection<string>> ListAsync();

    Task<byte[]> ReadAsync(string location);

    Task WriteAsync(string location, byte[] bytes);
}

/// <summary>Entry files under a disk store's folder.</summary>
public sealed class RawDisk(string directory) : IRawStore
{
    public string Name => "disk";

    public Task<IReadOnlyCollection<string>> ListAsync() =>
        Task.FromResult<IReadOnlyCollection<string>>(Directory.EnumerateFiles(directory, "*.entry", SearchOption.AllDirectories).ToArray());

    public Task<byte[]> ReadAsync(string location) => File.ReadAllBytesAsync(location);

    public Task WriteAsync(string location, byte[] bytes) => File.WriteAllBytesAsync(location, bytes);
}

/// <summary>Keys under a Redis store's prefix, with plain GET and SET.</summary>
public sealed class RawRedis(IConnectionMultiplexer connection, string endPoint, string keyPrefix) : IRawStore
{
    public string Name => "redis";

    public async Task<IReadOnlyCollection<string>> ListAsync()
    {
        var keys = new List<string>();
        await foreach (RedisKey key in connection.GetServer(endPoint).KeysAsync(pattern: keyPrefix + "*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    public async Task<byte[]> ReadAsync(string location) =>
        (byte[]?)await connection.GetDatabase().StringGetAsync(location) ?? throw new InvalidOperationException($"Redis holds no {location}.");

    public Task WriteAsync(string location, byte[] bytes) => connection.GetDatabase().StringSetAsync(location, bytes);
}

/// <summary>Objects under an S3 store's path, through the tests' own SDK client.</summary>
public sealed class RawS3(IAmazonS3 client, string bucket, string path) : IRawStore
{
    public string Name => "s3";

    public async Task<IReadOnlyCollection<string>> ListAsync()
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = path + "/" };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return keys;
    }

    public async Task<byte[]> ReadAsync(string location)
    {
        using GetObjectResponse response = await client.GetObjectAsync(bucket, location);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public Task WriteAsync(string location, byte[] bytes) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = location, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
}
