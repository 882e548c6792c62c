using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace LlmCache.Embeddings.Tests;

[Collection(MiniLmCollection.Name)]
public sealed class PrecisionReportTests(MiniLmFixture fixture)
{
    [Fact]
    public async Task At_the_default_threshold_with_the_guard_most_paraphrases_hit_and_almost_no_near_miss_does()
    {
        PrecisionMeasurement measurement = await PrecisionMeasurement.RunAsync(fixture.Generator);

        double paraphrases = measurement.HitRate(SemanticPair.Paraphrase, PrecisionMeasurement.DefaultThreshold, guarded: true);
        double nearMisses = measurement.HitRate(SemanticPair.NearMiss, PrecisionMeasurement.DefaultThreshold, guarded: true);
        double unrelated = measurement.HitRate(SemanticPair.Unrelated, PrecisionMeasurement.DefaultThreshold, guarded: true);

        Assert.True(paraphrases >= 0.80, $"paraphrase hit rate {paraphrases:P1} (target at least 80%)");
        Assert.True(measurement.MeetsTarget(PrecisionMeasurement.DefaultThreshold));
        Assert.True(nearMisses <= 0.02, $"near-miss hit rate {nearMisses:P1} (target at most 2%)");
        Assert.Equal(0, unrelated);
    }

    [Fact]
    public async Task Without_the_guard_the_default_threshold_serves_many_near_misses()
    {
        // The reason the guard exists, measured: cosine alone cannot tell these pairs apart.
        PrecisionMeasurement measurement = await PrecisionMeasurement.RunAsync(fixture.Generator);

        Assert.True(measurement.HitRate(SemanticPair.NearMiss, PrecisionMeasurement.DefaultThreshold, guarded: false) > 0.5);
    }

    [Fact]
    public async Task The_report_is_written_on_request()
    {
        PrecisionMeasurement measurement = await PrecisionMeasurement.RunAsync(fixture.Generator);
        string report = measurement.RenderReport();

        Assert.Contains("(default)", report, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("LLMCACHE_WRITE_PRECISION_REPORT") == "1")
        {
            File.WriteAllText(Path.Combine(RepositoryRoot(), "docs", "semantic", "precision.md"), report);
        }
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
