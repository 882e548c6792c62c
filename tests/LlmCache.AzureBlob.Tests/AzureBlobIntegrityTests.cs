using System;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using LlmCache.Testing;

namespace LlmCache.AzureBlob.Tests;

/// <summary>Integrity against a real Azurite: entries planted with plain uploads behind the store's back.</summary>
public sealed class AzureBlobIntegrityTests : IntegrityContractTests, IClassFixture<AzuriteServer>, IDisposable
{
    private readonly AzuriteServer _server;
    private readonly AzureBlobCacheStore _store;

    public AzureBlobIntegrityTests(AzuriteServer server)
    {
        _server = server;
        _store = server.CreateStore();
    }

    protected override CacheType RuntimeType => CacheType.AzureBlob;

    protected override void Register(LlmCacheOptions options) => options.UseStore(CacheType.AzureBlob, _store);

    protected override async Task<byte[]?> ReadStoredAsync(CacheStoreKey key)
    {
        try
        {
            Response<Azure.Storage.Blobs.Models.BlobDownloadResult> download = await Blob(key).DownloadContentAsync();
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    protected override async Task WriteStoredAsync(CacheStoreKey key, byte[] stored) =>
        await Blob(key).UploadAsync(BinaryData.FromBytes(stored), overwrite: true);

    public void Dispose() => _store.Dispose();

    private BlobClient Blob(CacheStoreKey key) => _server.CreateContainerClient().GetBlobClient(_store.GetBlobName(key));
}
