using System;
using System.Collections.Generic;
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

    /// <summary>Asserts that <paramref name="failure"/> holds exactly one message, and that it says each of <paramref name="parts"/>.</summary>
    public static void AssertOneMessageSaying(OptionsValidationException? failure, IEnumerable<string> parts)
    {
        Xunit.Assert.NotNull(failure);
        string message = Xunit.Assert.Single(failure.Failures);
        foreach (string part in parts)
        {
            Xunit.Assert.Contains(part, message, StringComparison.Ordinal);
        }
    }
}
