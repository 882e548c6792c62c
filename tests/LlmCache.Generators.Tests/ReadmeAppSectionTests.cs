using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using LlmCache.Testing;

namespace LlmCache.Generators.Tests;

/// <summary>
/// The README's "Use it in your app" C# blocks compile with the generator, warning-free: the type declarations as they
/// are, each block of statements as the body of a method given the names the README's text gives them.
/// </summary>
public sealed class ReadmeAppSectionTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;

        namespace ReadmeApp;

        """;

    [Fact]
    public void The_use_it_in_your_app_blocks_compile_without_warnings()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));
        Match section = Regex.Match(readme, "\n## Use it in your app\n(?<body>.*?)\n## ", RegexOptions.Singleline);
        Assert.True(section.Success, "README.md has no section '## Use it in your app'");
        string[] blocks = Regex.Matches(section.Groups["body"].Value, "```csharp\n(?<code>.*?)```", RegexOptions.Singleline).Select(m => m.Groups["code"].Value).ToArray();
        Assert.True(blocks.Length >= 5, $"the section should show registration, the service, the controls, the statistics and clearing; it has {blocks.Length} C# blocks");

        var source = new StringBuilder(Usings);
        for (int i = 0; i < blocks.Length; i++)
        {
            if (blocks[i].Contains("partial class", StringComparison.Ordinal))
            {
                source.Append(blocks[i]);
                continue;
            }

            source.Append($$"""
                public static class Block{{i}}
                {
                    public static async Task RunAsync(IServiceCollection services, IConfiguration configuration, IChatClient chat, Assistant assistant,
                        LlmCacheRuntime runtime, IList<ChatMessage> messages, ChatOptions options, string remoteKey)
                    {
                        await Task.CompletedTask;
                {{blocks[i]}}
                    }
                }

                """);
        }

        GeneratorResult result = GeneratorHarness.Run(source.ToString());

        Assert.Empty(result.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(result.CompilationProblems.Select(d => d.ToString()));
        Assert.Contains(result.RunResult.GeneratedSources, s => s.HintName == "ReadmeApp.Assistant.AskAsync.g.cs");
    }
}
