using System;

namespace LlmCache;

/// <summary>One embedded text of the semantic cache: where it belongs, which entry it points to, and its vector.</summary>
/// <param name="Namespace">The cache namespace (<c>""</c> is the default).</param>
/// <param name="Scope">The partition inside the namespace: a digest of every key input but the embedded text.</param>
/// <param name="Id">The entry the record points to: the exact key's digest, as the stores file it.</param>
/// <param name="Vector">The embedding of <paramref name="Text"/>.</param>
/// <param name="Text">The embedded text, kept so the precision guard can compare a later prompt with it.</param>
/// <param name="ExpiresAt">When the record stops being found; <c>null</c> for never.</param>
public readonly record struct VectorRecord(string Namespace, string Scope, string Id, ReadOnlyMemory<float> Vector, string Text, DateTimeOffset? ExpiresAt);
