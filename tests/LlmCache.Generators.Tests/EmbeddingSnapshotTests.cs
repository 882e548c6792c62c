namespace LlmCache.Generators.Tests;

/// <summary>The generated code of an embedding method cached per input, as a golden file.</summary>
public sealed class EmbeddingSnapshotTests
{
    [Fact]
    public void Embedding_method_cached_per_input() => SnapshotTests.Verify(nameof(Embedding_method_cached_per_input), "Demo.Embedder.EmbedAsync.g.cs", """
        using Microsoft.Extensions.AI;

        namespace Demo;

        public sealed partial class Embedder(LlmCacheRuntime cache)
        {
            [LlmCached(Type = CacheType.Disk, Ttl = 86400)]
            public partial ValueTask<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(string model, List<string> inputs, int? dimensions, CacheControl control = default, CancellationToken ct = default);

            private Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsyncCore(string model, List<string> inputs, int? dimensions, CancellationToken ct) =>
                Task.FromResult(new GeneratedEmbeddings<Embedding<float>>());
        }
        """);
}
