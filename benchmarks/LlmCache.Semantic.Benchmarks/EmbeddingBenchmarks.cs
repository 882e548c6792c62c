using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LlmCache.Embeddings.MiniLM;
using Microsoft.Extensions.AI;

namespace LlmCache.Semantic.Benchmarks;

/// <summary>
/// MiniLM (all-MiniLM-L6-v2 on ONNX Runtime) embedding time per prompt of about twelve words: one prompt per call, and
/// 32 prompts in one call (one model run), reported per prompt.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EmbeddingBenchmarks
{
    private const int Batch = 32;

    private static readonly string[] Prompts = Enumerable.Range(0, Batch)
        .Select(i => $"Can you explain how compound interest works over {i + 2} years in plain words?")
        .ToArray();

    private MiniLmEmbeddingGenerator _generator = null!;
    private int _next;

    [GlobalSetup]
    public void Setup() => _generator = new MiniLmEmbeddingGenerator();

    [GlobalCleanup]
    public void Cleanup() => _generator.Dispose();

    [Benchmark(Baseline = true, Description = "One prompt per call")]
    public async Task<float> Single()
    {
        Embedding<float> embedding = (await _generator.GenerateAsync([Prompts[_next++ % Batch]]))[0];
        return embedding.Vector.Span[0];
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "32 prompts per call, per prompt")]
    public async Task<float> Batched()
    {
        GeneratedEmbeddings<Embedding<float>> embeddings = await _generator.GenerateAsync(Prompts);
        return embeddings[Batch - 1].Vector.Span[0];
    }
}
