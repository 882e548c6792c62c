using LlmCache.Testing;

namespace LlmCache.S3.Tests;

/// <summary>The shared store contract suite against <see cref="S3CacheStore"/> on a real s3rver; each store gets its own path prefix.</summary>
public sealed class S3StoreContractTests : StoreContractTests, IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3StoreContractTests(S3Server server) => _server = server;

    protected override CacheType RuntimeType => CacheType.S3;

    protected override ICacheStore CreateStore() => _server.CreateStore();

    protected override void Register(LlmCacheOptions options, ICacheStore store) => options.UseStore(CacheType.S3, store);
}
