using System.Threading.Tasks;
using LlmCache.SharedTests;

namespace LlmCache.S3.Tests;

/// <summary>Microsoft.Extensions.AI results of generated methods, stored in S3 through MEAI's own JSON and read back equal.</summary>
public sealed class S3MeaiResultTests : IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3MeaiResultTests(S3Server server) => _server = server;

    [Fact]
    public async Task An_s3_hit_equals_the_original_result()
    {
        string path = "meai-results-" + System.Guid.NewGuid().ToString("N");
        using var writer = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.S3 }.UseS3(_server.StoreOptions(path)));
        using var reader = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.S3 }.UseS3(_server.StoreOptions(path)));

        await MeaiRoundTrip.RunAsync(writer, reader, "s3");
    }
}
