using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace LlmCache.PackageTests;

/// <summary>The manifest of a package, read from the .nuspec at the root of the .nupkg.</summary>
internal sealed class Nuspec
{
    private Nuspec(XElement metadata) => Metadata = metadata;

    /// <summary>The manifest's <c>metadata</c> element.</summary>
    public XElement Metadata { get; }

    /// <summary>The dependencies, by target framework group.</summary>
    public ILookup<string, XElement> DependenciesByFramework =>
        Metadata.Descendants(Metadata.Name.Namespace + "dependency")
            .ToLookup(d => d.Parent?.Attribute("targetFramework")?.Value ?? string.Empty);

    /// <summary>Reads the manifest of an open package.</summary>
    public static Nuspec Read(ZipArchive zip)
    {
        ZipArchiveEntry entry = zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        XElement root = XDocument.Load(stream).Root ?? throw new InvalidOperationException($"{entry.FullName} is empty.");
        return new Nuspec(root.Element(root.Name.Namespace + "metadata") ?? throw new InvalidOperationException($"{entry.FullName} has no metadata."));
    }

    /// <summary>A metadata element by its local name, or null.</summary>
    public XElement? Element(string name) => Metadata.Element(Metadata.Name.Namespace + name);

    /// <summary>A metadata element's text, or null.</summary>
    public string? Value(string name) => Element(name)?.Value;

    /// <summary>All dependency ids across the groups.</summary>
    public IEnumerable<string> DependencyIds => DependenciesByFramework.SelectMany(g => g).Select(d => (string?)d.Attribute("id") ?? string.Empty);
}
