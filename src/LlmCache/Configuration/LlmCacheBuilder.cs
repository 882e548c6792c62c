using System;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache;

/// <summary>The builder <c>AddLlmCache</c> returns.</summary>
internal sealed class LlmCacheBuilder : ILlmCacheBuilder
{
    public LlmCacheBuilder(IServiceCollection services) => Services = services ?? throw new ArgumentNullException(nameof(services));

    public IServiceCollection Services { get; }

    /// <summary>Adds a step that registers a store while the runtime's options are built (at start and on every reload).</summary>
    internal static ILlmCacheBuilder AddStoreSetup(ILlmCacheBuilder builder, Action<LlmCacheOptions, LlmCacheSettings> apply)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new LlmCacheStoreSetup(apply));
        return builder;
    }
}

/// <summary>One store's part in building the runtime's options: registered by <c>AddDisk</c>, <c>AddRedis</c> and <c>AddS3</c>.</summary>
internal sealed class LlmCacheStoreSetup(Action<LlmCacheOptions, LlmCacheSettings> apply)
{
    public void Apply(LlmCacheOptions options, LlmCacheSettings settings) => apply(options, settings);
}
