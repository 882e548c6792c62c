using System;
using LlmCache.Embeddings.MiniLM;

namespace LlmCache.Embeddings.Tests;

/// <summary>One loaded model for every test of the collection: loading it takes about a second and 90 MB.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
