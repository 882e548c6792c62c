using System;
using LlmCache;
using Microsoft.Extensions.Logging;

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
    /// <param name="configure">Sets the options; they are validated when the runtime is first resolved.</param>
    public static IServiceCollection AddLlmCache(this IServiceCollection services, Action<LlmCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            var options = new LlmCacheOptions { LoggerFactory = provider.GetService<ILoggerFactory>() };
            configure?.Invoke(options);
            return new LlmCacheRuntime(options);
        });
        return services;
    }
}
