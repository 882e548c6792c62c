using System;
namespace LlmCache.Embeddings.MiniLM;

/// <summary>Settings of a <see cref="MiniLmEmbeddingGenerator"/>.</summary>
public sealed class MiniLmEmbeddingGeneratorOptions
{
    /// <summary>
    /// The most word pieces embedded per text, counting the two special tokens; longer texts are cut, as
    /// sentence-transformers cuts all-MiniLM-L6-v2's input at 256. Between 3 and 512 (the model's positions).
    /// </summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// The most texts embedded by one model run. A larger call is split into runs of this size, which bounds the
    /// memory of one run (texts × longest text × 384 floats).
    /// </summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Threads ONNX Runtime uses inside one run; 0 lets it choose (one per core). Concurrent calls run in parallel
    /// on top of that.
    /// </summary>
    public int IntraOpThreads { get; set; }

    internal void Validate()
    {
        if (MaxTokens is < 3 or > 512)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "MaxTokens must be between 3 and 512.");
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be at least 1.");
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be 0 (automatic) or positive.");
        }
    }
}
