using System;
using System.IO;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmCache.Testing;

/// <summary>Configuration written as JSON in a test, and the start-up check a host runs.</summary>
public static class ConfiguredServices
{
    /// <summary>The configuration <paramref name="json"/> holds, as an appsettings.json file would give it.</summary>
    public static IConfigurationRoot Root(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>The <c>LlmCache</c> section of <paramref name="json"/>.</summary>
    public static IConfigurationSection Section(string json) => Root(json).GetSection("LlmCache");

    /// <summary>
    /// Runs the validation a host runs before it starts (<c>ValidateOnStart</c>, through <see cref="IStartupValidator"/>)
    /// and returns its failure, or <c>null</c> when the configuration is accepted.
    /// </summary>
    public static OptionsValidationException? StartupFailure(IServiceProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException failure)
        {
            return failure;
        }
    }
}
