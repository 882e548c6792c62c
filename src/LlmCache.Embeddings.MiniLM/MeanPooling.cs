using System;
using System.Numerics.Tensors;

namespace LlmCache.Embeddings.MiniLM;

/// <summary>
/// Sentence-transformers' pooling for all-MiniLM-L6-v2: the mean of the token vectors the attention mask keeps, then
/// L2 normalisation, so cosine similarity is a dot product.
/// </summary>
internal static class MeanPooling
{
    public static float[] Pool(ReadOnlySpan<float> tokenVectors, int tokenCount, int dimensions)
    {
        float[] sentence = new float[dimensions];
        for (int token = 0; token < tokenCount; token++)
        {
            TensorPrimitives.Add(sentence, tokenVectors.Slice(token * dimensions, dimensions), sentence);
        }

        // Dividing by the token count would make this the mean; the normalisation cancels that factor, so it is skipped.
        float norm = TensorPrimitives.Norm(sentence);
        TensorPrimitives.Divide(sentence, Math.Max(norm, 1e-12f), sentence);
        return sentence;
    }
}
