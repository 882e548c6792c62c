using System;

namespace LlmCache.VectorData;

/// <summary>
/// The record <see cref="VectorDataVectorIndex{TKey}"/> stores in the collection: one embedded text of the semantic
/// cache. Create the collection with <see cref="VectorDataRecord.Definition"/>, which marks <see cref="Namespace"/>,
/// <see cref="Scope"/> and <see cref="ExpiresAt"/> as indexed (filterable) fields.
/// </summary>
/// <typeparam name="TKey">The collection's key type: <see cref="string"/>, <see cref="Guid"/> or <see cref="ulong"/>.</typeparam>
public sealed class VectorDataRecord<TKey>
    where TKey : notnull
{
    /// <summary>The collection key: a digest of <see cref="Namespace"/>, <see cref="Scope"/> and <see cref="Id"/>.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>The cache namespace (<c>""</c> is the default); filtered at search.</summary>
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The partition inside the namespace; filtered at search.</summary>
    public string Scope { get; set; } = string.Empty;

    /// <summary>The entry the record points to (<see cref="VectorRecord.Id"/>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The embedded text, for the precision guard.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>When the record stops being found, in Unix milliseconds; <see cref="long.MaxValue"/> for never. Filtered at search.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>The embedding.</summary>
    public ReadOnlyMemory<float> Vector { get; set; }
}
