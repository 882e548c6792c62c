using LlmCache.Testing;

namespace LlmCache.S3.Tests;

/// <summary>The shared store contract suite against <see cref="S3CacheStore"/> on a real s3rver; each test gets its own path prefix, shared by the stores it creates.</summary>
public sealed class S3StoreContractTests : StoreContractTests, IClassFixture<S3Server>
{
    private readonly string _path = "contract-" + System.Guid.NewGuid().ToString("N");
    private readonly S3Server _server;

    public S3StoreContractTests(S3Server server) => _server = server;

    protected override CacheType RuntimeType => CacheType.S3;

    // s3rver writes objects in place, so a GET racing a PUT can see a body cut short or mixed and fail; real S3 cannot.
    protected override bool ReadsDuringWritesMayFail => true;

    // For the same reason two overlapping PUTs of one object can leave it with bytes of both; real S3 replaces it whole.
    protected override bool OverlappingWritesMayTear => true;

    protected override long UnreadableEntriesFound(ICacheStore store) => ((S3CacheStore)store).CorruptEntries;

    // The store's default retry, as against real S3: s3rver answers concurrent writes to one object with an occasional 500.
    protected override ICacheStore CreateStore()
    {
        S3CacheStoreOptions options = _server.StoreOptions(_path);
        options.MaxErrorRetry = new S3CacheStoreOptions().MaxErrorRetry;
        return new S3CacheStore(options);
    }

    protected override void Register(LlmCacheOptions options, ICacheStore store) => options.UseStore(CacheType.S3, store);
}
