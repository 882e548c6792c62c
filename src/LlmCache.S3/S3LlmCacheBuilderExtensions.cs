using System;
using LlmCache;
using LlmCache.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the S3 store to the runtime <c>AddLlmCache</c> registers.</summary>
public static class S3LlmCacheBuilderExtensions
{
    /// <summary>
    /// Caches <see cref="CacheType.S3"/> methods in an S3 bucket, with the settings of the configuration's <c>S3</c>
    /// section (or LiteLLM's <c>s3_*</c> keys), then of <paramref name="configure"/> (which also sets what configuration
    /// cannot hold, such as <see cref="S3CacheStoreOptions.ConfigureClient"/>, LiteLLM's <c>s3_config</c>).
    /// </summary>
    /// <remarks>
    /// With a configuration section that names another type and has no S3 keys, and no <paramref name="configure"/>,
    /// no S3 store is registered. A reload that changes the S3 keys replaces the store; other reloads keep it.
    /// </remarks>
    /// <param name="builder">The builder <c>AddLlmCache</c> returned.</param>
    /// <param name="configure">Edits the store's settings after configuration; <c>null</c> keeps those from configuration.</param>
    public static ILlmCacheBuilder AddS3(this ILlmCacheBuilder builder, Action<S3CacheStoreOptions>? configure = null)
    {
        var state = new StoreSetupState();
        return LlmCacheBuilder.AddStoreSetup(builder, (options, settings) =>
        {
            if (!StoreSetupState.IsWanted(options, settings, "S3", configure is not null, CacheType.S3))
            {
                return;
            }

            IConfigurationSection section = settings.Source.Configuration.GetSection("S3");
            var storeOptions = new S3CacheStoreOptions();
            TimeSpan? defaultTtl = S3SettingValues.ApplyTo(storeOptions, section, settings);
            configure?.Invoke(storeOptions);
            ICacheStore? store = state.Reusable(options, CacheType.S3, section);
            if (store is null)
            {
                store = new S3CacheStore(storeOptions, options.LoggerFactory?.CreateLogger<S3CacheStore>(), options.TimeProvider);
                state.Remember(store, section);
            }

            options.UseStore(CacheType.S3, store, defaultTtl, disposeWithRuntime: true);
        });
    }
}
