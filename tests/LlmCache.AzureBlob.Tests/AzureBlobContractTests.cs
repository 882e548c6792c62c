using LlmCache.Testing;

namespace LlmCache.AzureBlob.Tests;

/// <summary>The shared store contract suite against <see cref="AzureBlobCacheStore"/> on a real Azurite; each test gets its own path prefix, shared by the stores it creates.</summary>
public sealed class AzureBlobStoreContractTests : StoreContractTests, IClassFixture<AzuriteServer>
{
    private readonly string _path = "contract-" + System.Guid.NewGuid().ToString("N");
    private readonly AzuriteServer _server;

    public AzureBlobStoreContractTests(AzuriteServer server) => _server = server;

    protected override CacheType RuntimeType => CacheType.AzureBlob;

    // The store's default retry, as against the real service.
    protected override ICacheStore CreateStore()
    {
        AzureBlobCacheStoreOptions options = _server.StoreOptions(_path);
        options.MaxRetries = new AzureBlobCacheStoreOptions().MaxRetries;
        return new AzureBlobCacheStore(options);
    }

    protected override void Register(LlmCacheOptions options, ICacheStore store) => options.UseStore(CacheType.AzureBlob, store);
}
