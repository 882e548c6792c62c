using System;
using LlmCache;
using LlmCache.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.AI;

/// <summary>Adds LlmCache to a chat client pipeline.</summary>
public static class LlmCachingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="LlmCachingChatClient"/> at this point of the pipeline. It caches in the
    /// <see cref="LlmCacheRuntime"/> of the builder's service provider (registered by <c>AddLlmCache</c>), or, when the
    /// provider has none, in <see cref="LlmCacheRuntime.Shared"/>, as generated methods do.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="configure">Sets how this client caches.</param>
    public static ChatClientBuilder UseLlmCache(this ChatClientBuilder builder, Action<LlmCachingChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        LlmCachingChatClientOptions options = Configure(configure);
        return builder.Use((inner, services) => new LlmCachingChatClient(inner, services.GetService<LlmCacheRuntime>() ?? LlmCacheRuntime.Shared, options));
    }

    /// <summary>Adds an <see cref="LlmCachingChatClient"/> that caches in <paramref name="runtime"/>, whatever the service provider holds.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="runtime">The cache.</param>
    /// <param name="configure">Sets how this client caches.</param>
    public static ChatClientBuilder UseLlmCache(this ChatClientBuilder builder, LlmCacheRuntime runtime, Action<LlmCachingChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(runtime);
        LlmCachingChatClientOptions options = Configure(configure);
        return builder.Use(inner => new LlmCachingChatClient(inner, runtime, options));
    }

    // Configured once, when the pipeline is described, so a bad setting fails there rather than on the first request.
    private static LlmCachingChatClientOptions Configure(Action<LlmCachingChatClientOptions>? configure)
    {
        var options = new LlmCachingChatClientOptions();
        configure?.Invoke(options);
        return options;
    }
}
