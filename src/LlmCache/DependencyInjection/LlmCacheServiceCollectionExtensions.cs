using System;
using LlmCache;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LlmCache with dependency injection.</summary>
public static class LlmCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="LlmCacheRuntime"/> for the container. Types whose <c>[LlmCached]</c> methods should use
    /// it take it as a constructor (or primary-constructor) parameter and keep it in a field or property; the
    /// generated code finds it there. The runtime logs through the container's <see cref="ILoggerFactory"/> unless
    /// <paramref name="configure"/> sets one. The container disposes the runtime with itself, which closes the stores
    /// the runtime owns (flushing buffered Redis writes).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Sets the options, after the stores added to the returned builder.</param>
    /// <returns>A builder that adds stores: <c>AddDisk</c>, and <c>AddRedis</c> and <c>AddS3</c> from their packages.</returns>
    /// <remarks>
    /// The options are validated when the host starts (<c>ValidateOnStart</c>), or else when the runtime is first
    /// resolved. At the host's start the runtime also checks that the configuration has the store each cached method of
    /// the container's registered types caches into (a method of <c>CacheType.Redis</c> without <c>AddRedis</c>, a
    /// <c>Store = "name"</c> never registered), and the start fails with one message naming those methods.
    /// </remarks>
    public static ILlmCacheBuilder AddLlmCache(this IServiceCollection services, Action<LlmCacheOptions>? configure = null) =>
        AddLlmCacheCore(services, null, configure);

    /// <summary>
    /// As <see cref="AddLlmCache(IServiceCollection, Action{LlmCacheOptions}?)"/>, with the options bound from
    /// <paramref name="configuration"/> (such as <c>configuration.GetSection("LlmCache")</c>) first. Keys are the .NET
    /// option names (<c>DefaultTtl</c>, <c>Redis:Host</c>) or LiteLLM's <c>cache_params</c> names (<c>ttl</c>,
    /// <c>host</c>), listed in docs/configuration.md; a value <c>os.environ/NAME</c> is read from the environment
    /// variable <c>NAME</c>. When the configuration reloads, the runtime is updated for the next call; a reload with
    /// a mistake is logged and ignored.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configuration">The section that holds LlmCache's settings.</param>
    /// <param name="configure">Sets the options after configuration and the builder's stores; it runs again on every reload.</param>
    /// <returns>A builder that adds stores: <c>AddDisk</c>, and <c>AddRedis</c> and <c>AddS3</c> from their packages.</returns>
    public static ILlmCacheBuilder AddLlmCache(this IServiceCollection services, IConfiguration configuration, Action<LlmCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddLlmCacheCore(services, configuration, configure);
    }

    private static ILlmCacheBuilder AddLlmCacheCore(IServiceCollection services, IConfiguration? configuration, Action<LlmCacheOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        if (configuration is not null)
        {
            var setup = new LlmCacheSettingsSetup(configuration);
            services.AddSingleton<IConfigureOptions<LlmCacheSettings>>(setup);
            services.AddSingleton<IOptionsChangeTokenSource<LlmCacheSettings>>(setup);
        }

        services.AddSingleton(new LlmCacheCodeSetup(configure));
        services.AddSingleton<ConfiguredRuntime>();
        services.AddSingleton(static provider => provider.GetRequiredService<ConfiguredRuntime>().Runtime);
        services.TryAddSingleton(new LlmCacheServiceTypes(services));
        services.AddOptions<LlmCacheStartupCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmCacheStartupCheck>, LlmCacheStartupValidator>());
        return new LlmCacheBuilder(services);
    }
}
