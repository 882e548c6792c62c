using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace LlmCache.PackageTests;

/// <summary>
/// A user's app takes the packages through PackageReference from the packed folder: the generator from the package
/// writes the cached method, its analyzers report mistakes in the build output, and the app prints a hit.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class ConsumerAppTests(PackagesFixture packages, ITestOutputHelper output)
{
    internal static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task App_BuildsFromThePackedPackagesOnly_AndPrintsAMissThenAHit()
    {
        foreach (ToolResult pack in packages.Packs)
        {
            output.WriteLine($"{pack.CommandLine}: {pack.Elapsed.TotalSeconds:F1} s");
        }

        string app = packages.CreateApp("app");
        ToolResult build = await Tool.RunAsync(Tool.Dotnet, ["build", "--disable-build-servers", "-nodeReuse:false"], app, BuildTimeout, packages.AppEnvironment);
        output.WriteLine($"{build.CommandLine}: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("LLMC", build.Output, StringComparison.Ordinal);

        // Every LlmCache package was restored into the empty global folder from the packed folder, not from a cache.
        foreach ((string id, _) in PackagesFixture.Packages)
        {
            string metadata = Path.Combine(packages.GlobalPackagesDirectory, id.ToLowerInvariant(), packages.Version, ".nupkg.metadata");
            Assert.True(File.Exists(metadata), $"{id} {packages.Version} was not restored into {packages.GlobalPackagesDirectory}. {build}");
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(metadata));
            string? source = json.RootElement.GetProperty("source").GetString();
            Assert.Equal(Path.TrimEndingDirectorySeparator(packages.PackagesDirectory), Path.TrimEndingDirectorySeparator(source ?? string.Empty));
        }

        // The cached method's body came from the package's generator (which also writes a file of the type's store requirements).
        string generated = Assert.Single(Directory.GetFiles(Path.Combine(app, "obj"), "*GreetAsync.g.cs", SearchOption.AllDirectories),
            path => path.Contains($"{Path.DirectorySeparatorChar}LlmCache.Generators{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Contains("GreetAsync", File.ReadAllText(generated), StringComparison.Ordinal);

        ToolResult run = await Tool.RunAsync(Tool.Dotnet, ["run", "--no-build", "--disable-build-servers"], app, RunTimeout, packages.AppEnvironment);
        output.WriteLine($"{run.CommandLine}: {run.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.Output);
        AssertMissThenHit(run);
    }

    [Fact]
    public async Task GeneratorErrors_FailTheBuild_AndShowInItsOutput()
    {
        string app = packages.CreateApp("generator-errors", "GeneratorErrors");
        ToolResult build = await Tool.RunAsync(Tool.Dotnet, ["build", "--disable-build-servers", "-nodeReuse:false"], app, BuildTimeout, packages.AppEnvironment);
        output.WriteLine($"{build.CommandLine}: {build.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(build.Output);

        Assert.True(build.ExitCode != 0, $"The build with deliberately bad cached methods succeeded. {build}");
        AssertDiagnostic(build, "GeneratorErrors.cs", "error", "LLMC0003");
        AssertDiagnostic(build, "GeneratorErrors.cs", "error", "LLMC0007");
        AssertNoDiagnosticOutside(build, "GeneratorErrors.cs");
    }

    [Fact]
    public async Task AnalyzerFindings_ShowInTheBuildOutput()
    {
        // The compiler reports analyzer diagnostics only for code that compiles, so these findings stand apart from
        // the generator's errors. The app treats warnings as errors; this build keeps them warnings, as most apps do.
        string app = packages.CreateApp("analyzer-findings", "AnalyzerFindings");
        ToolResult build = await Tool.RunAsync(
            Tool.Dotnet,
            ["build", "-p:TreatWarningsAsErrors=false", "--disable-build-servers", "-nodeReuse:false"],
            app,
            BuildTimeout,
            packages.AppEnvironment);
        output.WriteLine($"{build.CommandLine}: {build.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(build.Output);

        Assert.True(build.ExitCode != 0, $"The build with a negative TTL succeeded. {build}");
        AssertDiagnostic(build, "AnalyzerFindings.cs", "warning", "LLMC1001");
        AssertDiagnostic(build, "AnalyzerFindings.cs", "warning", "LLMC1002");
        AssertDiagnostic(build, "AnalyzerFindings.cs", "warning", "LLMC1004");
        AssertDiagnostic(build, "AnalyzerFindings.cs", "error", "LLMC1006");
        AssertNoDiagnosticOutside(build, "AnalyzerFindings.cs");
    }

    private static void AssertDiagnostic(ToolResult build, string file, string severity, string id) =>
        Assert.True(
            Regex.IsMatch(build.Output, $@"{Regex.Escape(file)}\(\d+,\d+\): {severity} {id}:"),
            $"The build output has no {severity} {id} at a line of {file}. {build}");

    /// <summary>The good code beside the mistakes raised nothing.</summary>
    private static void AssertNoDiagnosticOutside(ToolResult build, string file)
    {
        foreach (Match match in Regex.Matches(build.Output, @"([\w.]+\.cs)\(\d+,\d+\): (error|warning) LLMC\d{4}"))
        {
            Assert.True(match.Groups[1].Value == file, $"Unexpected diagnostic outside {file}: {match.Value}. {build}");
        }
    }

    /// <summary>The app's two identical calls: the first reaches the implementation, the second is a memory hit.</summary>
    internal static void AssertMissThenHit(ToolResult run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Contains("configured: from-configuration, 00:10:00, Redis+S3+AzureBlob"), run.ToString());
        Assert.True(lines.Contains("call 1: Miss: Good day, Ada."), run.ToString());
        Assert.True(lines.Contains("call 2: Hit from memory: Good day, Ada."), run.ToString());
        Assert.True(lines.Contains("model calls: 1"), run.ToString());
    }
}
