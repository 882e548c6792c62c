using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using LlmCache.Embeddings.MiniLM;
using Microsoft.Extensions.AI;

namespace LlmCache.Embeddings.Tests;

/// <summary>
/// Scores every pair of Data/semantic-pairs.tsv with MiniLM and the precision guard, and renders the table of
/// docs/semantic/precision.md: per threshold, how many paraphrases hit and how many near misses and unrelated pairs
/// would be served a wrong answer, with and without the guard.
/// </summary>
internal sealed class PrecisionMeasurement
{
    /// <summary>The threshold recommended as the semantic caches' default, chosen from the table this class computes.</summary>
    public const double DefaultThreshold = 0.80;

    /// <summary>The category of the pairs written after the guard's last change (docs/semantic/pairs.md).</summary>
    public const string HoldOutCategory = "holdout-2";

    public static readonly double[] Thresholds = [0.70, 0.75, 0.80, 0.85, 0.90, 0.95];

    private PrecisionMeasurement(IReadOnlyList<ScoredPair> pairs) => Pairs = pairs;

    public IReadOnlyList<ScoredPair> Pairs { get; }

    public static async Task<PrecisionMeasurement> RunAsync(MiniLmEmbeddingGenerator generator)
    {
        IReadOnlyList<SemanticPair> pairs = SemanticPair.Load();
        GeneratedEmbeddings<Embedding<float>> a = await generator.GenerateAsync(pairs.Select(p => p.A));
        GeneratedEmbeddings<Embedding<float>> b = await generator.GenerateAsync(pairs.Select(p => p.B));
        return new PrecisionMeasurement(pairs.Select((pair, i) => new ScoredPair(
            pair,
            Vectors.Cosine(a[i].Vector.Span, b[i].Vector.Span),
            SemanticPrecisionGuard.Check(pair.A, pair.B))).ToArray());
    }

    /// <summary>The share of pairs with <paramref name="label"/> that would be a semantic hit at <paramref name="threshold"/>.</summary>
    public double HitRate(string label, double threshold, bool guarded) => HitRate(Pairs, label, threshold, guarded);

    private static double HitRate(IReadOnlyList<ScoredPair> pairs, string label, double threshold, bool guarded)
    {
        ScoredPair[] labelled = pairs.Where(p => p.Pair.Label == label).ToArray();
        return labelled.Length == 0 ? double.NaN : (double)labelled.Count(p => p.Hits(threshold, guarded)) / labelled.Length;
    }

    /// <summary>Whether, with the guard on, at least 80% of paraphrases and at most 2% of near misses hit at <paramref name="threshold"/>.</summary>
    public bool MeetsTarget(double threshold) =>
        HitRate(SemanticPair.Paraphrase, threshold, guarded: true) >= 0.80 && HitRate(SemanticPair.NearMiss, threshold, guarded: true) <= 0.02;

    public string RenderReport()
    {
        var md = new StringBuilder();
        int Count(string label) => Pairs.Count(p => p.Pair.Label == label);
        md.AppendLine("# Semantic precision: measured");
        md.AppendLine();
        md.AppendLine("<!-- Written by tests/LlmCache.Embeddings.Tests (PrecisionReportTests), not by hand: run");
        md.AppendLine("     LLMCACHE_WRITE_PRECISION_REPORT=1 dotnet test tests/LlmCache.Embeddings.Tests --filter PrecisionReportTests -->");
        md.AppendLine();
        md.AppendLine(Invariant($"MiniLM (all-MiniLM-L6-v2, `LlmCache.Embeddings.MiniLM`) cosine similarity and `SemanticPrecisionGuard` on the {Pairs.Count} labelled pairs of"));
        md.AppendLine(Invariant($"[semantic-pairs.tsv](../../tests/LlmCache.Embeddings.Tests/Data/semantic-pairs.tsv) ({Count(SemanticPair.Paraphrase)} paraphrases, {Count(SemanticPair.NearMiss)} near misses, {Count(SemanticPair.Unrelated)} unrelated; how they were"));
        md.AppendLine("made: [pairs.md](pairs.md)). A pair is a hit when its cosine is at least the threshold and, with the guard, the guard");
        md.AppendLine("accepts it. A paraphrase hit is wanted; a near-miss or unrelated hit is a wrong answer served.");
        md.AppendLine();
        AppendThresholdTable(md, Pairs);
        md.AppendLine();
        string meeting = string.Join(", ", Thresholds.Where(MeetsTarget).Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)));
        md.AppendLine(Invariant($"Thresholds at which the guarded cache meets the target (at least 80% of paraphrases hit, at most 2% of near misses): {meeting}."));
        md.AppendLine(Invariant($"The default, {DefaultThreshold:0.00} (the reference's value too), is the highest of them. Lower ones add paraphrase hits on"));
        md.AppendLine("this set, but a prompt that differs from a cached one in several words is something the guard does not check");
        md.AppendLine("(the near misses the guard lets through are listed at the end, with their cosines): only the threshold keeps those out.");
        md.AppendLine();
        md.AppendLine("### Hold-out round 2 only");
        md.AppendLine();
        md.AppendLine("The pairs of category `holdout-2` were written after the guard's rules were settled and never used to tune them");
        md.AppendLine("(one later bug fix, found by a unit test, is described in pairs.md): the closest this set comes to prompts the");
        md.AppendLine("guard has not seen.");
        md.AppendLine();
        AppendThresholdTable(md, Pairs.Where(p => p.Pair.Category == HoldOutCategory).ToArray());
        md.AppendLine();
        md.AppendLine(Invariant($"## By category, at the default threshold {DefaultThreshold:0.00}"));
        md.AppendLine();
        md.AppendLine("| label | category | pairs | cosine min–max | hits without guard | hits with guard |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (IGrouping<(string Label, string Category), ScoredPair> group in Pairs.GroupBy(p => (p.Pair.Label, p.Pair.Category)))
        {
            ScoredPair[] g = group.ToArray();
            md.AppendLine(Invariant($"| {group.Key.Label} | {group.Key.Category} | {g.Length} | {g.Min(p => p.Cosine):0.00}–{g.Max(p => p.Cosine):0.00} | {g.Count(p => p.Hits(DefaultThreshold, false))} | {g.Count(p => p.Hits(DefaultThreshold, true))} |"));
        }

        md.AppendLine();
        md.AppendLine("## What the guard rejected");
        md.AppendLine();
        md.AppendLine("| reason | near misses rejected | paraphrases rejected (a miss instead of a hit) |");
        md.AppendLine("|---|---|---|");
        foreach (SemanticGuardRejection reason in Enum.GetValues<SemanticGuardRejection>().Where(r => r != SemanticGuardRejection.None))
        {
            md.AppendLine(Invariant($"| {reason} | {Pairs.Count(p => p.Pair.Label == SemanticPair.NearMiss && p.Rejection == reason)} | {Pairs.Count(p => p.Pair.Label == SemanticPair.Paraphrase && p.Rejection == reason)} |"));
        }

        md.AppendLine();
        md.AppendLine("Paraphrases the guard rejects (the price of its caution):");
        md.AppendLine();
        AppendPairs(md, Pairs.Where(p => p.Pair.Label == SemanticPair.Paraphrase && p.Rejection != SemanticGuardRejection.None));
        md.AppendLine();
        md.AppendLine("Near misses the guard lets through (served wrongly wherever their cosine reaches the threshold):");
        md.AppendLine();
        AppendPairs(md, Pairs.Where(p => p.Pair.Label == SemanticPair.NearMiss && p.Rejection == SemanticGuardRejection.None));
        return md.ToString();
    }

    private static void AppendThresholdTable(StringBuilder md, IReadOnlyList<ScoredPair> pairs)
    {
        md.AppendLine("| threshold | paraphrase hits | near-miss hits | unrelated hits | paraphrase hits, guard on | near-miss hits, guard on | unrelated hits, guard on |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (double t in Thresholds)
        {
            string mark = t == DefaultThreshold ? " (default)" : "";
            md.Append(Invariant($"| {t:0.00}{mark} |"));
            foreach (bool guarded in new[] { false, true })
            {
                foreach (string label in new[] { SemanticPair.Paraphrase, SemanticPair.NearMiss, SemanticPair.Unrelated })
                {
                    md.Append(Invariant($" {Percent(pairs, label, t, guarded)} |"));
                }
            }

            md.AppendLine();
        }
    }

    private static void AppendPairs(StringBuilder md, IEnumerable<ScoredPair> pairs)
    {
        bool any = false;
        foreach (ScoredPair p in pairs.OrderByDescending(p => p.Cosine))
        {
            md.AppendLine(Invariant($"- {p.Cosine:0.00} {p.Pair.Category}, {p.Rejection}: \"{p.Pair.A}\" / \"{p.Pair.B}\""));
            any = true;
        }

        if (!any)
        {
            md.AppendLine("- none");
        }
    }

    private static string Percent(IReadOnlyList<ScoredPair> pairs, string label, double threshold, bool guarded)
    {
        double rate = HitRate(pairs, label, threshold, guarded);
        return double.IsNaN(rate) ? "–" : Invariant($"{rate * 100:0.0}%");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal sealed record ScoredPair(SemanticPair Pair, float Cosine, SemanticGuardRejection Rejection)
{
    public bool Hits(double threshold, bool guarded) => Cosine >= threshold && (!guarded || Rejection == SemanticGuardRejection.None);
}
