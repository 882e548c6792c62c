using System;
using System.Collections.Generic;
using System.IO;

namespace LlmCache.Generators.Tests;

/// <summary>LLMCACHE_ACCEPT_SNAPSHOTS rewrites golden files on a developer's machine, never under CI=true.</summary>
public sealed class SnapshotAcceptanceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmcache-snapshot-" + Guid.NewGuid().ToString("N"));

    public SnapshotAcceptanceTests() => Directory.CreateDirectory(Path.Combine(_directory, "Snapshots"));

    private string CallerFile => Path.Combine(_directory, "Tests.cs");

    private string Verified => Path.Combine(_directory, "Snapshots", "Shape.verified.cs");

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("1")]
    public void Accepting_under_CI_fails_and_leaves_the_golden_file_alone(string ci)
    {
        File.WriteAllText(Verified, "old\n");
        var environment = new Dictionary<string, string?> { ["CI"] = ci, ["LLMCACHE_ACCEPT_SNAPSHOTS"] = "1" };

        var failure = Assert.ThrowsAny<Exception>(() => Snapshot.Match("Shape", "new\n", name => environment.GetValueOrDefault(name), CallerFile));

        Assert.Contains("LLMCACHE_ACCEPT_SNAPSHOTS", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CI", failure.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", File.ReadAllText(Verified));
    }

    [Fact]
    public void Accepting_under_CI_fails_even_when_the_output_matches()
    {
        File.WriteAllText(Verified, "same\n");
        var environment = new Dictionary<string, string?> { ["CI"] = "true", ["LLMCACHE_ACCEPT_SNAPSHOTS"] = "1" };

        Assert.ThrowsAny<Exception>(() => Snapshot.Match("Shape", "same\n", name => environment.GetValueOrDefault(name), CallerFile));
    }

    [Fact]
    public void Accepting_outside_CI_writes_the_golden_file()
    {
        File.WriteAllText(Verified, "old\n");
        var environment = new Dictionary<string, string?> { ["LLMCACHE_ACCEPT_SNAPSHOTS"] = "1" };

        Snapshot.Match("Shape", "new\n", name => environment.GetValueOrDefault(name), CallerFile);

        Assert.Equal("new\n", File.ReadAllText(Verified));
    }

    [Fact]
    public void Under_CI_without_the_switch_a_difference_still_fails_as_a_difference()
    {
        File.WriteAllText(Verified, "old\n");
        var environment = new Dictionary<string, string?> { ["CI"] = "true" };

        var failure = Assert.ThrowsAny<Exception>(() => Snapshot.Match("Shape", "new\n", name => environment.GetValueOrDefault(name), CallerFile));

        Assert.Contains("Snapshot Shape differs", failure.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", File.ReadAllText(Verified));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
