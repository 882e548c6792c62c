using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace LlmCache.Embeddings.Tests;

/// <summary>One labelled prompt pair of Data/semantic-pairs.tsv (how it was made: docs/semantic/pairs.md).</summary>
internal sealed record SemanticPair(string Label, string Category, string A, string B)
{
    public const string Paraphrase = "paraphrase";
    public const string NearMiss = "near-miss";
    public const string Unrelated = "unrelated";

    public static IReadOnlyList<SemanticPair> Load()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "semantic-pairs.tsv"));
        Assert.Equal("label\tcategory\ta\tb", lines[0]);
        return lines.Skip(1).Where(line => line.Length > 0).Select(line =>
        {
            string[] columns = line.Split('\t');
            Assert.True(columns.Length == 4, $"a pair line needs 4 columns: {line}");
            Assert.Contains(columns[0], new[] { Paraphrase, NearMiss, Unrelated });
            return new SemanticPair(columns[0], columns[1], columns[2], columns[3]);
        }).ToArray();
    }
}
