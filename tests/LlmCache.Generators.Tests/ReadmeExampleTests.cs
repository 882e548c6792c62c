using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LlmCache.Testing;

namespace LlmCache.Generators.Tests;

/// <summary>The README's opening examples (before "Use it in your app", which ReadmeAppSectionTests compiles) compile with the generator, warning-free.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void The_readme_examples_compile_without_warnings()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));
        int appSection = readme.IndexOf("\n## Use it in your app\n", StringComparison.Ordinal);
        Assert.True(appSection > 0, "README.md has no section '## Use it in your app'");
        readme = readme[..appSection];
        MatchCollection examples = Regex.Matches(readme, "```csharp\\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(examples.Count > 0, "README.md has no ```csharp example");

        GeneratorResult result = GeneratorHarness.Run(
            "using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using LlmCache; using Microsoft.Extensions.AI;\nnamespace Readme;\n" +
            string.Concat(examples.Select(e => e.Groups["code"].Value)));

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems.Select(d => d.ToString()));
        Assert.Contains(result.RunResult.GeneratedSources, s => s.HintName == "Readme.Assistant.AskAsync.g.cs");
        Assert.Contains(result.RunResult.GeneratedSources, s => s.HintName == "Readme.Assistant.StreamAsync.g.cs");
        Assert.Contains(result.RunResult.GeneratedSources, s => s.HintName == "Readme.SemanticAssistant.AskAsync.g.cs");
    }
}
