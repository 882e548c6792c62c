namespace LlmCache;

/// <summary>A record found by <see cref="IVectorIndex.SearchAsync"/>.</summary>
/// <param name="Id">The record's <see cref="VectorRecord.Id"/>.</param>
/// <param name="Similarity">The cosine similarity of the record's vector and the query, in [-1, 1].</param>
/// <param name="Text">The record's <see cref="VectorRecord.Text"/>.</param>
public readonly record struct VectorMatch(string Id, float Similarity, string Text);
