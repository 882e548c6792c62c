using System;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using LlmCache.Testing;

namespace LlmCache.S3.Tests;

/// <summary>Integrity against a real S3-protocol server (s3rver): entries planted with plain PUT requests.</summary>
public sealed class S3IntegrityTests : IntegrityContractTests, IClassFixture<S3Server>, IDisposable
{
    private readonly S3Server _server;
    private readonly S3CacheStore _store;

    public S3IntegrityTests(S3Server server)
    {
        _server = server;
        _store = server.CreateStore();
    }

    protected override CacheType RuntimeType => CacheType.S3;

    protected override void Register(LlmCacheOptions options) => options.UseStore(CacheType.S3, _store);

    protected override async Task<byte[]?> ReadStoredAsync(CacheStoreKey key)
    {
        using AmazonS3Client raw = _server.CreateRawClient();
        try
        {
            using GetObjectResponse response = await raw.GetObjectAsync(S3Server.Bucket, _store.GetObjectKey(key));
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    protected override async Task WriteStoredAsync(CacheStoreKey key, byte[] stored)
    {
        using AmazonS3Client raw = _server.CreateRawClient();
        using var body = new MemoryStream(stored);
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = _store.GetObjectKey(key), InputStream = body, UseChunkEncoding = false });
    }

    public void Dispose() => _store.Dispose();
}
