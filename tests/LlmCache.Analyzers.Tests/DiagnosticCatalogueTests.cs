using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using LlmCache.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using GeneratorDescriptors = LlmCache.Generators.DiagnosticDescriptors;
using LlmCache.Testing;

namespace LlmCache.Analyzers.Tests;

public sealed class DiagnosticCatalogueTests
{
    /// <summary>
    /// The source generator's diagnostic IDs, which docs/diagnostics documents too: the public <c>...Id</c> constants
    /// of the generator's own catalogue, so a new generator diagnostic without a page fails these tests.
    /// </summary>
    public static readonly IReadOnlyList<string> GeneratorIds = IdConstants(typeof(GeneratorDescriptors));

    private static readonly string DocsDirectory = Path.Combine(RepositoryRoot.Find(), "docs", "diagnostics");

    private static IEnumerable<string> DocumentedIds => LlmCacheAnalyzers.Catalogue.Select(d => d.Id).Concat(GeneratorIds);

    [Fact]
    public void The_generator_catalogue_is_read_and_its_IDs_are_unique_in_the_generator_range()
    {
        Assert.Contains(GeneratorDescriptors.MethodNotPartialId, GeneratorIds);
        Assert.Contains(GeneratorDescriptors.UnsupportedKeyTypeId, GeneratorIds);
        Assert.Equal(GeneratorIds.Count, GeneratorIds.Distinct(StringComparer.Ordinal).Count());
        Assert.All(GeneratorIds, id => Assert.Matches(new Regex(@"^LLMC00\d{2}$"), id));
    }

    [Fact]
    public void No_ID_is_in_both_the_generator_and_the_analyzer_catalogue()
    {
        string[] shared = IdConstants(typeof(DiagnosticDescriptors)).Intersect(GeneratorIds, StringComparer.Ordinal).ToArray();

        Assert.True(shared.Length == 0, $"Both catalogues define: {string.Join(", ", shared)}");
    }

    [Fact]
    public void Every_code_fix_fixes_a_catalogued_diagnostic()
    {
        var known = DocumentedIds.ToHashSet(StringComparer.Ordinal);
        string[] fixable = typeof(AddNotCacheKeyCodeFixProvider).Assembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .ToArray();

        Assert.NotEmpty(fixable);
        Assert.All(fixable, id => Assert.Contains(id, known));
    }

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

    }

    [Fact]
    public void Every_ID_constant_names_a_descriptor_of_the_catalogue()
    {
        IEnumerable<string> constants = IdConstants(typeof(DiagnosticDescriptors)).OrderBy(id => id, StringComparer.Ordinal);

        Assert.Equal(LlmCacheAnalyzers.Catalogue.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), constants);
    }

    [Fact]
    public void Every_descriptor_is_reported_by_exactly_one_analyzer_and_every_analyzer_reports_only_catalogued_descriptors()
    {
        List<string> supported = LlmCacheAnalyzers.All.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();

        Assert.Equal(LlmCacheAnalyzers.Catalogue.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), supported.OrderBy(id => id, StringComparer.Ordinal));
    }

    /// <summary>The values of a catalogue's public <c>...Id</c> string constants.</summary>
    private static List<string> IdConstants(Type catalogue) => catalogue.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Id", StringComparison.Ordinal))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();
}
