using System;
using System.Numerics.Tensors;

namespace LlmCache.VectorIndex.USearch.Tests;

/// <summary>Seeded synthetic unit vectors, in clusters as embeddings of related prompts are.</summary>
internal static class Vectors
{
    public static float[][] Clustered(int count, int dimensions, int clusters, int seed)
    {
        var random = new Random(seed);
        var centres = new float[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            centres[c] = Random(random, dimensions, 1f);
        }

        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            float[] vector = Random(random, dimensions, 0.6f);
            TensorPrimitives.Add(vector, centres[random.Next(clusters)], vector);
            vectors[i] = Unit(vector);
        }

        return vectors;
    }

    public static float[] Unit(float[] vector)
    {
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private static float[] Random(Random random, int dimensions, float scale)
    {
        var vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            vector[d] = (float)(random.NextDouble() * 2 - 1) * scale;
        }

        return vector;
    }
}
