using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace LlmCache.Analyzers.Tests;

public sealed class DiagnosticCatalogueTests
{
    /// <summary>
    /// The source generator's diagnostic IDs, which docs/diagnostics documents too. The generator owns its own
    /// catalogue; until this test reads it, the IDs are listed here.
    /// </summary>
    public static readonly IReadOnlyList<string> GeneratorIds =
        ["LLMC0001", "LLMC0002", "LLMC0003", "LLMC0004", "LLMC0005", "LLMC0006", "LLMC0007", "LLMC0008"];

    private static readonly string DocsDirectory = Path.Combine(FindRepositoryRoot(), "docs", "diagnostics");

    private static IEnumerable<string> DocumentedIds => LlmCacheAnalyzers.Catalogue.Select(d => d.Id).Concat(GeneratorIds);

    [Fact]
    public void Every_diagnostic_ID_has_a_documentation_page()
    {
        string[] missing = DocumentedIds.Where(id => !File.Exists(Path.Combine(DocsDirectory, id + ".md"))).ToArray();

        Assert.True(missing.Length == 0, $"docs/diagnostics lacks a page for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_page_says_what_why_how_to_fix_and_shows_an_example()
    {
        foreach (string id in DocumentedIds)
        {
            string page = File.ReadAllText(Path.Combine(DocsDirectory, id + ".md"));
            Assert.StartsWith($"# {id}: ", page, StringComparison.Ordinal);
            foreach (string section in new[] { "## What", "## Why", "## How to fix", "## Example" })
            {
                Assert.True(page.Contains("\n" + section + "\n", StringComparison.Ordinal), $"{id}.md lacks the section '{section}'.");
            }

            Assert.Contains("```csharp", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_page_belongs_to_a_known_ID()
    {
        var known = DocumentedIds.ToHashSet(StringComparer.Ordinal);
        string[] orphans = Directory.GetFiles(DocsDirectory, "*.md").Select(Path.GetFileNameWithoutExtension).Where(id => !known.Contains(id!)).ToArray()!;

        Assert.True(orphans.Length == 0, $"docs/diagnostics has pages for unknown IDs: {string.Join(", ", orphans)}");
    }

    [Fact]
    public void Catalogue_IDs_are_unique_in_the_analyzer_range_and_link_to_their_page()
    {
        IReadOnlyList<DiagnosticDescriptor> catalogue = LlmCacheAnalyzers.Catalogue;
        Assert.NotEmpty(catalogue);
        Assert.Equal(catalogue.Count, catalogue.Select(d => d.Id).Distinct().Count());
        foreach (DiagnosticDescriptor descriptor in catalogue)
        {
            Assert.Matches(new Regex(@"^LLMC1\d{3}$"), descriptor.Id);
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
            Assert.StartsWith("LlmCache.", descriptor.Category, StringComparison.Ordinal);
            Assert.True(descriptor.IsEnabledByDefault, descriptor.Id);
        }

        Assert.DoesNotContain(catalogue, d => GeneratorIds.Contains(d.Id));
    }

    [Fact]
    public void Every_ID_constant_names_a_descriptor_of_the_catalogue()
    {
        string[] constants = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Id", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(LlmCacheAnalyzers.Catalogue.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), constants);
    }

    [Fact]
    public void Every_descriptor_is_reported_by_exactly_one_analyzer_and_every_analyzer_reports_only_catalogued_descriptors()
    {
        List<string> supported = LlmCacheAnalyzers.All.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();

        Assert.Equal(LlmCacheAnalyzers.Catalogue.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), supported.OrderBy(id => id, StringComparer.Ordinal));
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Generators.sln above {AppContext.BaseDirectory}.");
    }
}
