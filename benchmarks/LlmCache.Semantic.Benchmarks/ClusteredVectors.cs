using System;
using System.Numerics.Tensors;

namespace LlmCache.Semantic.Benchmarks;

/// <summary>
/// Seeded unit vectors in clusters (a centre plus noise, cosine about 0.75 to a cluster's centre), as the embeddings
/// of one prompt template's variations are; a hundred vectors per cluster on average.
/// </summary>
public sealed class ClusteredVectors
{
    private readonly Random _random;
    private readonly float[][] _centres;

    public ClusteredVectors(int dimensions, int clusters, int seed)
    {
        Dimensions = dimensions;
        _random = new Random(seed);
        _centres = new float[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            _centres[c] = Noise(1f);
        }
    }

    public int Dimensions { get; }

    public float[] Next()
    {
        float[] vector = Noise(0.6f);
        TensorPrimitives.Add(vector, _centres[_random.Next(_centres.Length)], vector);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private float[] Noise(float scale)
    {
        var vector = new float[Dimensions];
        for (int d = 0; d < vector.Length; d++)
        {
            vector[d] = (_random.NextSingle() * 2 - 1) * scale;
        }

        return vector;
    }
}
