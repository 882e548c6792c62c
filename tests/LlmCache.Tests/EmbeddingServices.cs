using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// A made-up embedding model: each input's vector is computed from its text, and a batch's usage counts one input
/// token per character, so a test can compute what any call must return. It records every batch it is sent.
/// </summary>
public sealed class FakeEmbeddingModel
{
    private readonly List<string[]> _batches = new();

    public IReadOnlyList<string[]> Batches
    {
        get
        {
            lock (_batches)
            {
                return _batches.ToArray();
            }
        }
    }

    public Func<string[], Task>? BeforeAnswer { get; set; }

    public static float[] VectorOf(string input) => new float[] { input.Length, input.Sum(c => (float)c), input.Length == 0 ? 0f : input[0] };

    public static long TokensOf(IEnumerable<string> inputs) => inputs.Sum(i => (long)i.Length);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> inputs, CancellationToken cancellationToken)
    {
        string[] batch = inputs.ToArray();
        lock (_batches)
        {
            _batches.Add(batch);
        }

        if (BeforeAnswer is { } gate)
        {
            await gate(batch).WaitAsync(cancellationToken);
        }

        return new GeneratedEmbeddings<Embedding<float>>(batch.Select(i => new Embedding<float>(VectorOf(i)) { ModelId = "fake-embed" }))
        {
            Usage = new UsageDetails { InputTokenCount = TokensOf(batch), TotalTokenCount = TokensOf(batch) },
        };
    }
}

/// <summary>The fake model as a Microsoft.Extensions.AI embedding generator.</summary>
public sealed class FakeEmbeddingGenerator(FakeEmbeddingModel model) : IEmbeddingGenerator<string, Embedding<float>>
{
    public List<EmbeddingGenerationOptions?> Options { get; } = new();

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (Options)
        {
            Options.Add(options);
        }

        return model.GenerateAsync(values, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, "fake-embed") : null;

    public void Dispose()
    {
    }
}

/// <summary>Embedding methods cached per input.</summary>
public sealed partial class EmbeddingService(LlmCacheRuntime cache, FakeEmbeddingModel model)
{
    [LlmCached]
    public partial Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(IList<string> inputs, string modelName, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached]
    public partial ValueTask<GeneratedEmbeddings<Embedding<float>>> EmbedManyAsync(string[] inputs, CacheControl control = default, CancellationToken cancellationToken = default);

    [LlmCached]
    public partial Task<GeneratedEmbeddings<Embedding<float>>> EmbedSequenceAsync(int dimensions, IEnumerable<string> inputs, CacheControl control = default);

    private Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsyncCore(IList<string> inputs, string modelId, CancellationToken cancellationToken) =>
        model.GenerateAsync(inputs, cancellationToken);

    private async ValueTask<GeneratedEmbeddings<Embedding<float>>> EmbedManyAsyncCore(string[] inputs, CancellationToken cancellationToken) =>
        await model.GenerateAsync(inputs, cancellationToken);

    private Task<GeneratedEmbeddings<Embedding<float>>> EmbedSequenceAsyncCore(int dimensions, IEnumerable<string> inputs) =>
        model.GenerateAsync(inputs, CancellationToken.None);
}
