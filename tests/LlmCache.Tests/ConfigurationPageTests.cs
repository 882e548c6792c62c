using System;
using System.Collections.Generic;
using System.IO;
using LlmCache.Testing;

namespace LlmCache.Tests;

/// <summary>docs/configuration.md's table maps every LiteLLM name that configuration accepts to the .NET key it becomes.</summary>
public sealed class ConfigurationPageTests
{
    [Fact]
    public void Every_LiteLlm_name_has_its_row_with_its_dotnet_key()
    {
        string page = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "configuration.md"));

        foreach (KeyValuePair<string, string> name in LiteLlmNames.ToDotNet)
        {
            Assert.Contains($"| `{name.Key}` | `{name.Value}` |", page, StringComparison.Ordinal);
        }

        Assert.Contains($"| `{LiteLlmNames.S3Config}` | (none) |", page, StringComparison.Ordinal);
    }
}
