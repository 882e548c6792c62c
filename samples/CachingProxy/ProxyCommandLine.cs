using System;
using System.Globalization;

namespace LlmCache.Proxy;

/// <summary>
/// Reads the command line (<c>--config</c>, <c>--host</c>, <c>--port</c>, <c>--max-request-bytes</c>,
/// <c>--upstream-timeout</c>) and the environment (<c>OPENAI_BASE_URL</c>, <c>OPENAI_API_KEY</c>,
/// <c>LITELLM_MASTER_KEY</c>) into the proxy's settings, then config.yaml if one is named.
/// </summary>
public static class ProxyCommandLine
{
    /// <summary>The upstream without <c>OPENAI_BASE_URL</c>.</summary>
    public const string OpenAiBaseUrl = "https://api.openai.com/v1";

    /// <summary>Builds the settings.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> in the app; tests pass their own).</param>
    /// <exception cref="ProxyStartupException">An unknown option, a bad value, or a mistake in config.yaml.</exception>
    public static ProxySettings Parse(string[] args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new ProxySettings();
        string baseUrl = NonEmpty(environment("OPENAI_BASE_URL")) ?? OpenAiBaseUrl;
        settings.DefaultRoute = new ModelRoute(ParseUrl(baseUrl, "OPENAI_BASE_URL"), null, NonEmpty(environment("OPENAI_API_KEY")));
        settings.MasterKey = NonEmpty(environment("LITELLM_MASTER_KEY"));

        string? config = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string? inline = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (name.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Length)
                {
                    throw new ProxyStartupException($"{name} needs a value.");
                }

                return args[++i];
            }

            switch (name)
            {
                case "--config":
                    config = Value();
                    break;
                case "--host":
                    settings.Host = Value();
                    break;
                case "--port":
                    settings.Port = ParseInt(name, Value(), 0, 65535);
                    break;
                case "--max-request-bytes":
                    settings.MaxRequestBytes = ParseInt(name, Value(), 1, int.MaxValue);
                    break;
                case "--upstream-timeout":
                    settings.UpstreamTimeout = TimeSpan.FromSeconds(ParseInt(name, Value(), 1, 86400));
                    break;
                default:
                    throw new ProxyStartupException($"Unknown option '{name}'. Options: --config PATH, --host ADDRESS, --port N, --max-request-bytes N, --upstream-timeout SECONDS.");
            }
        }

        if (config is not null)
        {
            ProxyConfigFile.Apply(config, settings, environment);
        }

        return settings;
    }

    /// <summary>An absolute http(s) address, or a start-up error naming <paramref name="origin"/>.</summary>
    internal static Uri ParseUrl(string value, string origin) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ProxyStartupException($"{origin} must be an http or https address, not '{value}'.");

    internal static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ProxyStartupException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
}
