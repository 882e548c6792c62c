using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace LlmCache;

/// <summary>
/// The configuration section given to <c>AddLlmCache</c>, with LiteLLM's names rewritten to the .NET keys
/// (<see cref="LiteLlmNames"/>) and every <c>os.environ/NAME</c> value replaced by the environment variable
/// <c>NAME</c>, as LiteLLM's proxy reads them. The settings classes bind from this, never from the raw section.
/// </summary>
/// <remarks>
/// A mistake found here (a variable that is not set, one setting given under both names with different values) does
/// not throw: binding runs inside the options machinery, also on a reload, so it is kept in <see cref="Problem"/> and
/// reported when the options are applied.
/// </remarks>
internal sealed class NormalizedConfiguration
{
    /// <summary>How a value that names an environment variable starts.</summary>
    public const string EnvironmentPrefix = "os.environ/";

    private readonly HashSet<string> _sections = new(StringComparer.OrdinalIgnoreCase);

    private NormalizedConfiguration(string path, IConfiguration configuration, string? problem, bool isPresent)
    {
        Path = path;
        Configuration = configuration;
        Problem = problem;
        IsPresent = isPresent;
    }

    /// <summary>The section's path, as messages name settings: <c>LlmCache</c> for <c>GetSection("LlmCache")</c>.</summary>
    public string Path { get; }

    /// <summary>The rewritten values, keyed by .NET names relative to the section.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The first mistake found while rewriting, or <c>null</c>.</summary>
    public string? Problem { get; }

    /// <summary>Whether a configuration section was given at all (not for <c>AddLlmCache(Action)</c>).</summary>
    public bool IsPresent { get; }

    /// <summary>A section given no configuration: nothing set.</summary>
    public static NormalizedConfiguration Empty { get; } = new("LlmCache", new ConfigurationBuilder().Build(), null, isPresent: false);

    /// <summary>Rewrites <paramref name="section"/>.</summary>
    public static NormalizedConfiguration Create(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string path = section is IConfigurationSection named ? named.Path : "LlmCache";
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var sources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var sections = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? problem = null;
        foreach (KeyValuePair<string, string?> pair in section.AsEnumerable(makePathsRelative: true))
        {
            if (pair.Value is null)
            {
                continue;
            }

            string key = Rewrite(pair.Key);
            int colon = key.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                sections.Add(key.Substring(0, colon));
            }

            if (string.Equals(pair.Key, LiteLlmNames.S3Config, StringComparison.OrdinalIgnoreCase) || pair.Key.StartsWith(LiteLlmNames.S3Config + ":", StringComparison.OrdinalIgnoreCase))
            {
                problem ??= $"{path}:{LiteLlmNames.S3Config} is a botocore Config object in LiteLLM and has no configuration form here: set the SDK's client settings in code with AddS3(o => o.ConfigureClient = config => ...).";
                continue;
            }

            string? value = pair.Value;
            if (value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                string variable = value.Substring(EnvironmentPrefix.Length).Trim();
                value = variable.Length == 0 ? null : Environment.GetEnvironmentVariable(variable);
                if (value is null)
                {
                    problem ??= $"{path}:{pair.Key} is {EnvironmentPrefix}{variable}, but the environment variable '{variable}' is not set.";
                    continue;
                }
            }

            if (sources.TryGetValue(key, out string? earlier) && !string.Equals(values[key], value, StringComparison.Ordinal))
            {
                problem ??= $"{path}:{earlier} and {path}:{pair.Key} are the same setting ({path}:{key}) with different values: set it once.";
            }

            values[key] = value;
            sources[key] = pair.Key;
        }

        var normalized = new NormalizedConfiguration(path, new ConfigurationBuilder().AddInMemoryCollection(values).Build(), problem, isPresent: true);
        normalized._sections.UnionWith(sections);
        return normalized;
    }

    /// <summary>Whether any key under <paramref name="name"/> (such as <c>Redis</c>, also from <c>host</c>) is set.</summary>
    public bool HasSection(string name) => _sections.Contains(name);

    /// <summary>How messages name a setting: its full .NET key, and LiteLLM's name when it has one (<c>LlmCache:DefaultTtl (ttl)</c>).</summary>
    public string Name(string key) => LiteLlmNames.FromDotNet(key) is { } liteLlm ? $"{Path}:{key} ({liteLlm})" : $"{Path}:{key}";

    /// <summary>Rewrites the first segment of <paramref name="key"/> when it is a LiteLLM name.</summary>
    private static string Rewrite(string key)
    {
        int colon = key.IndexOf(':', StringComparison.Ordinal);
        string head = colon < 0 ? key : key.Substring(0, colon);
        return LiteLlmNames.ToDotNet.TryGetValue(head, out string? dotNet) ? dotNet + (colon < 0 ? string.Empty : key.Substring(colon)) : key;
    }
}
