using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LlmCache.Testing;

namespace LlmCache.Generators.Tests;

/// <summary>The LlmCache package README's example compiles with the generator, warning-free, and its service uses the container's runtime.</summary>
public sealed class PackageReadmeExampleTests
{
    [Fact]
    public void The_package_readme_example_registers_a_service_that_takes_the_containers_runtime()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "src", "LlmCache", "PACKAGE.md"));
        Match example = Regex.Match(readme, "```csharp\\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(example.Success, "PACKAGE.md has no ```csharp example");
        string code = example.Groups["code"].Value;

        // The start-up statements run in a method; the type declarations stand as they are.
        int firstType = code.IndexOf("\n// The container", StringComparison.Ordinal);
        Assert.True(firstType > 0, "PACKAGE.md's example no longer starts with the start-up statements");
        string source =
            "using System.Threading; using System.Threading.Tasks; using LlmCache; using Microsoft.Extensions.AI; using Microsoft.Extensions.DependencyInjection;\nnamespace Readme;\n" +
            "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + code[..firstType] + "\n    }\n}\n" + code[firstType..];

        GeneratorResult result = GeneratorHarness.Run(source);

        Assert.Empty(result.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(result.CompilationProblems.Select(d => d.ToString()));
        string generated = result.RunResult.GeneratedSources.Single(s => s.HintName == "Readme.Assistant.AskAsync.g.cs").SourceText.ToString();
        Assert.Contains("(runtime ?? global::LlmCache.LlmCacheRuntime.Shared)", generated, StringComparison.Ordinal);
    }
}
