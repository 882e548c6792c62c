using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LlmCache.PackageTests;

/// <summary>What is inside the packed .nupkg and .snupkg files.</summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageContentTests(PackagesFixture packages)
{
    private static readonly string[] RoslynComponents = ["LlmCache.Generators.dll", "LlmCache.Analyzers.dll", "LlmCache.CodeFixes.dll"];
    private static readonly string[] LibraryFrameworks = ["net10.0", "net8.0"];

    // The newest Roslyn the components may be built against: the compilers users run load nothing newer (CS9057).
    private static readonly Version MaxRoslyn = new(4, 14, 0, 0);

    [Fact]
    public void RuntimePackage_CarriesTheGeneratorAnalyzersAndCodeFixes_UnderAnalyzers_AndNotAsLibOrDependency()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("LlmCache"));
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();

        string[] analyzers = entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(RoslynComponents.Select(c => "analyzers/dotnet/cs/" + c).Order(StringComparer.Ordinal), analyzers);

        string[] lib = entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(LibraryFrameworks.SelectMany(tfm => new[] { $"lib/{tfm}/LlmCache.dll", $"lib/{tfm}/LlmCache.xml" }).Order(StringComparer.Ordinal), lib);

        Nuspec nuspec = Nuspec.Read(zip);
        Assert.Equal(LibraryFrameworks.Order(StringComparer.Ordinal), nuspec.DependenciesByFramework.Select(g => g.Key.ToLowerInvariant()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(nuspec.DependencyIds, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(nuspec.DependencyIds, id => id.StartsWith("LlmCache", StringComparison.OrdinalIgnoreCase));

        foreach (string component in RoslynComponents)
        {
            ZipArchiveEntry entry = zip.GetEntry("analyzers/dotnet/cs/" + component)!;
            using var copy = new MemoryStream();
            using (Stream stream = entry.Open())
            {
                stream.CopyTo(copy);
            }

            copy.Position = 0;
            using var pe = new PEReader(copy);
            MetadataReader metadata = pe.GetMetadataReader();
            Version[] roslyn = metadata.AssemblyReferences
                .Select(metadata.GetAssemblyReference)
                .Where(r => metadata.GetString(r.Name).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
                .Select(r => r.Version)
                .ToArray();
            Assert.NotEmpty(roslyn);
            Assert.All(roslyn, version => Assert.True(version <= MaxRoslyn, $"{component} references Roslyn {version}; compilers older than that would drop it (CS9057)."));
        }
    }

    [Theory]
    [InlineData("LlmCache")]
    [InlineData("LlmCache.Redis")]
    [InlineData("LlmCache.S3")]
    [InlineData("LlmCache.AzureBlob")]
    public void EveryPackage_HasItsReadme_TheMitLicense_RepositoryMetadata_AndSymbols(string id)
    {
        using (ZipArchive zip = ZipFile.OpenRead(packages.PackagePath(id)))
        {
            Nuspec nuspec = Nuspec.Read(zip);
            Assert.Equal(id, nuspec.Value("id"));

            string readmePath = Assert.IsType<string>(nuspec.Value("readme"));
            using (var reader = new StreamReader(Assert.IsType<ZipArchiveEntry>(zip.GetEntry(readmePath)).Open()))
            {
                Assert.StartsWith($"# {id}{Environment.NewLine}", reader.ReadToEnd().ReplaceLineEndings(), StringComparison.Ordinal);
            }

            XElement license = Assert.IsType<XElement>(nuspec.Element("license"));
            Assert.Equal("expression", (string?)license.Attribute("type"));
            Assert.Equal("MIT", license.Value);

            Assert.False(string.IsNullOrWhiteSpace(nuspec.Value("description")));
            Assert.False(string.IsNullOrWhiteSpace(nuspec.Value("tags")));

            // The repository every diagnostic's help link points into, and the commit the package was built from.
            XElement repository = Assert.IsType<XElement>(nuspec.Element("repository"));
            Assert.Equal("https://github.com/llmcache/llmcache", (string?)repository.Attribute("url"));
            Assert.Matches(new Regex("^[0-9a-f]{40}$"), (string?)repository.Attribute("commit") ?? string.Empty);

            if (id != "LlmCache")
            {
                foreach (IGrouping<string, XElement> group in nuspec.DependenciesByFramework)
                {
                    XElement runtime = Assert.Single(group, d => (string?)d.Attribute("id") == "LlmCache");
                    Assert.Equal(packages.Version, (string?)runtime.Attribute("version"));
                }
            }
        }

        using ZipArchive symbols = ZipFile.OpenRead(packages.PackagePath(id, "snupkg"));
        string[] pdbs = symbols.Entries.Select(e => e.FullName).Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(LibraryFrameworks.Select(tfm => $"lib/{tfm}/{id}.pdb").Order(StringComparer.Ordinal), pdbs);
    }
}
