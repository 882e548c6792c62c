using System.Collections.Generic;
using Microsoft.Extensions.VectorData;

namespace LlmCache.VectorData;

/// <summary>The collection schema of <see cref="VectorDataRecord{TKey}"/>.</summary>
public static class VectorDataRecord
{
    /// <summary>
    /// The schema to create the collection with (<c>vectorStore.GetCollection&lt;TKey, VectorDataRecord&lt;TKey&gt;&gt;(name, definition)</c>):
    /// the key, the indexed <c>Namespace</c>, <c>Scope</c> and <c>ExpiresAt</c>, the stored <c>Id</c> and <c>Text</c>,
    /// and the vector.
    /// </summary>
    /// <param name="dimensions">The embedding's length (384 for MiniLM).</param>
    /// <param name="distanceFunction">
    /// The connector's metric (<see cref="DistanceFunction"/>); cosine similarity by default. Any cosine-ordered metric
    /// will do (cosine distance, or the dot product of unit vectors): the index recomputes the cosine similarity itself.
    /// </param>
    public static VectorStoreCollectionDefinition Definition<TKey>(int dimensions, string distanceFunction = DistanceFunction.CosineSimilarity)
        where TKey : notnull
    {
        System.ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        return new VectorStoreCollectionDefinition
        {
            Properties = new List<VectorStoreProperty>
            {
                new VectorStoreKeyProperty(nameof(VectorDataRecord<TKey>.Key), typeof(TKey)),
                new VectorStoreDataProperty(nameof(VectorDataRecord<TKey>.Namespace), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(VectorDataRecord<TKey>.Scope), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(VectorDataRecord<TKey>.Id), typeof(string)),
                new VectorStoreDataProperty(nameof(VectorDataRecord<TKey>.Text), typeof(string)),
                new VectorStoreDataProperty(nameof(VectorDataRecord<TKey>.ExpiresAt), typeof(long)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(VectorDataRecord<TKey>.Vector), typeof(System.ReadOnlyMemory<float>), dimensions) { DistanceFunction = distanceFunction },
            },
        };
    }
}
