using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using LlmCache.Testing;

namespace LlmCache.PackageTests;

/// <summary>
/// Packs LlmCache, LlmCache.Redis, LlmCache.S3 and LlmCache.AzureBlob once for every test in <see cref="PackagesCollection"/>, into a
/// folder of its own, and writes consumer apps that take those packages from that folder only.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    /// <summary>The packages under test, by project path under the repository root.</summary>
    public static readonly IReadOnlyList<(string Id, string Project)> Packages =
    [
        ("LlmCache", "src/LlmCache/LlmCache.csproj"),
        ("LlmCache.Redis", "src/LlmCache.Redis/LlmCache.Redis.csproj"),
        ("LlmCache.S3", "src/LlmCache.S3/LlmCache.S3.csproj"),
        ("LlmCache.AzureBlob", "src/LlmCache.AzureBlob/LlmCache.AzureBlob.csproj"),
    ];

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    private const string LocalSourceName = "llmcache-local";

    private readonly List<ToolResult> _packs = [];
    private IReadOnlyList<string> _registrySources = [];

    /// <summary>The repository: the folder that holds Generators.sln, found above the test binaries.</summary>
    public string RepoRoot { get; } = RepositoryRoot.Find();

    /// <summary>Everything this fixture writes lives under here, and is deleted at the end.</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "llmcache-package-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The folder the packages are packed into: the consumer apps' only source of LlmCache packages.</summary>
    public string PackagesDirectory => Path.Combine(WorkDirectory, "packages");

    /// <summary>The consumer apps' global packages folder (NUGET_PACKAGES): empty at the start, so no copy of LlmCache from an earlier run is used.</summary>
    public string GlobalPackagesDirectory => Path.Combine(WorkDirectory, "nuget-packages");

    /// <summary>The version the packages were packed with, as their manifest says.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The pack commands and what they printed.</summary>
    internal IReadOnlyList<ToolResult> Packs => _packs;

    /// <summary>The environment a consumer app's dotnet commands run in.</summary>
    public IReadOnlyDictionary<string, string> AppEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = GlobalPackagesDirectory };

    /// <summary>The path of a package file in <see cref="PackagesDirectory"/>.</summary>
    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(PackagesDirectory, $"{id}.{Version}.{extension}");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(PackagesDirectory);
        Directory.CreateDirectory(GlobalPackagesDirectory);
        foreach ((_, string project) in Packages)
        {
            // Release, as a package is built; no build servers, so no process outlives the command and its pipes.
            ToolResult pack = await Tool.RunAsync(
                Tool.Dotnet,
                ["pack", Path.Combine(RepoRoot, project), "-c", "Release", "-o", PackagesDirectory, "--disable-build-servers", "-nodeReuse:false"],
                RepoRoot,
                PackTimeout);
            _packs.Add(pack);
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException($"Packing {project} failed. {pack}");
            }
        }

        Version = ReadVersion(Directory.GetFiles(PackagesDirectory, "LlmCache.*.nupkg").Single(IsRuntimePackage));
        _registrySources = await FindRegistrySourcesAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started still holds a file; the temporary folder is cleaned by the system later.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes the consumer app from the checked-in templates (ConsumerApp/*.template) into a new folder: its project
    /// file with the packed version, its sources, the named deliberate mistakes (ConsumerApp/Mistakes/NAME.cs.template),
    /// and a nuget.config whose only source of <c>LlmCache*</c> packages is <see cref="PackagesDirectory"/>.
    /// </summary>
    public string CreateApp(string name, params string[] mistakes)
    {
        string app = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(app);
        string templates = Path.Combine(RepoRoot, "tests", "LlmCache.PackageTests", "ConsumerApp");
        IEnumerable<string> files = Directory.GetFiles(templates, "*.template")
            .Concat(mistakes.Select(mistake => Path.Combine(templates, "Mistakes", mistake + ".cs.template")));
        foreach (string template in files)
        {
            string text = File.ReadAllText(template).Replace("$LLMCACHE_VERSION$", Version, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(app, Path.GetFileNameWithoutExtension(template)), text);
        }

        File.WriteAllText(Path.Combine(app, "nuget.config"), NuGetConfig());
        return app;
    }

    private string NuGetConfig()
    {
        var xml = new StringBuilder();
        xml.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        xml.AppendLine("<configuration>");
        xml.AppendLine("  <packageSources>");
        xml.AppendLine("    <clear />");
        xml.AppendLine($"    <add key=\"{LocalSourceName}\" value=\"{SecurityElement.Escape(PackagesDirectory)}\" />");
        for (int i = 0; i < _registrySources.Count; i++)
        {
            xml.AppendLine($"    <add key=\"registry{i}\" value=\"{SecurityElement.Escape(_registrySources[i])}\" />");
        }

        xml.AppendLine("  </packageSources>");
        xml.AppendLine("  <fallbackPackageFolders>");
        xml.AppendLine("    <clear />");
        xml.AppendLine("  </fallbackPackageFolders>");
        // The most specific pattern wins: LlmCache packages come from the local folder only, everything else from the registry.
        xml.AppendLine("  <packageSourceMapping>");
        xml.AppendLine($"    <packageSource key=\"{LocalSourceName}\">");
        xml.AppendLine("      <package pattern=\"LlmCache\" />");
        xml.AppendLine("      <package pattern=\"LlmCache.*\" />");
        xml.AppendLine("    </packageSource>");
        for (int i = 0; i < _registrySources.Count; i++)
        {
            xml.AppendLine($"    <packageSource key=\"registry{i}\">");
            xml.AppendLine("      <package pattern=\"*\" />");
            xml.AppendLine("    </packageSource>");
        }

        xml.AppendLine("  </packageSourceMapping>");
        xml.AppendLine("</configuration>");
        return xml.ToString();
    }

    /// <summary>The package sources the machine's NuGet configuration enables: third-party packages come from there.</summary>
    private async Task<IReadOnlyList<string>> FindRegistrySourcesAsync()
    {
        ToolResult list = await Tool.RunAsync(Tool.Dotnet, ["nuget", "list", "source", "--format", "Short"], WorkDirectory, TimeSpan.FromMinutes(1));
        if (list.ExitCode != 0)
        {
            throw new InvalidOperationException($"Listing the machine's NuGet sources failed. {list}");
        }

        string[] sources = list.Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToArray();
        if (sources.Length == 0)
        {
            throw new InvalidOperationException($"The machine's NuGet configuration enables no package source, so the consumer app cannot restore its third-party dependencies. {list}");
        }

        return sources;
    }

    private static bool IsRuntimePackage(string path) =>
        Path.GetFileName(path).Split('.') is [_, var second, ..] && char.IsDigit(second[0]);

    private static string ReadVersion(string nupkg)
    {
        using ZipArchive zip = ZipFile.OpenRead(nupkg);
        return Nuspec.Read(zip).Value("version")
            ?? throw new InvalidOperationException($"{nupkg} has no version in its manifest.");
    }
}

/// <summary>The tests that share one pack of the packages; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed packages";
}
