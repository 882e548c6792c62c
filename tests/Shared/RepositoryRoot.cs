using System;
using System.IO;

namespace LlmCache.Testing;

/// <summary>The repository a test runs from: the folder above the test binaries that holds Generators.sln.</summary>
/// <remarks>One source file, linked into each test project that reads the repository's files.</remarks>
internal static class RepositoryRoot
{
    /// <summary>The repository's folder.</summary>
    /// <exception cref="InvalidOperationException">The tests do not run from the repository's build output.</exception>
    public static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Generators.sln above {AppContext.BaseDirectory}: the tests run from the repository's build output.");
    }
}
