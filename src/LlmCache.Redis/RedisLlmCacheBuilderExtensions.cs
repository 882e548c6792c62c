using System;
using LlmCache;
using LlmCache.Redis;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redis store to the runtime <c>AddLlmCache</c> registers.</summary>
public static class RedisLlmCacheBuilderExtensions
{
    /// <summary>
    /// Caches <see cref="CacheType.Redis"/> methods in Redis, and <see cref="CacheType.Dual"/> methods in memory in
    /// front of it, with the settings of the configuration's <c>Redis</c> section (or LiteLLM's <c>host</c>,
    /// <c>port</c>, <c>password</c>, <c>default_in_redis_ttl</c>, <c>redis_flush_size</c>), then of
    /// <paramref name="configure"/>, then of the <c>REDIS_*</c> environment variables for what is still unset.
    /// </summary>
    /// <remarks>
    /// With the configuration's <c>type: redis-semantic</c> or <c>dual-semantic</c> (<see cref="CacheType.RedisSemantic"/>,
    /// <see cref="CacheType.DualSemantic"/>), the store also gets a <see cref="RedisVectorIndex"/> under
    /// <c>{KeyPrefix}semantic:</c> as <see cref="SemanticCacheOptions.SharedIndex"/>, stopped when the store closes; the
    /// prompts are embedded by the container's <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.
    /// With a configuration section that names another type and has no Redis keys, and no <paramref name="configure"/>,
    /// no Redis store is registered, so one app can add every store and let configuration pick. A reload that changes
    /// the Redis keys replaces the store (closing the old connection); other reloads keep it.
    /// </remarks>
    /// <param name="builder">The builder <c>AddLlmCache</c> returned.</param>
    /// <param name="configure">Edits the store's settings after configuration; <c>null</c> keeps those from configuration.</param>
    public static ILlmCacheBuilder AddRedis(this ILlmCacheBuilder builder, Action<RedisCacheStoreOptions>? configure = null)
    {
        var state = new StoreSetupState();
        RedisVectorIndex? index = null;
        return LlmCacheBuilder.AddStoreSetup(builder, (options, settings) =>
        {
            if (!StoreSetupState.IsWanted(options, settings, "Redis", configure is not null, CacheType.Redis, CacheType.Dual, CacheType.RedisSemantic, CacheType.DualSemantic))
            {
                return;
            }

            IConfigurationSection section = settings.Source.Configuration.GetSection("Redis");
            var storeOptions = new RedisCacheStoreOptions { LoggerFactory = options.LoggerFactory, TimeProvider = options.TimeProvider };
            RedisSettingValues.ApplyTo(storeOptions, section, settings);
            configure?.Invoke(storeOptions);
            var store = (RedisCacheStore?)state.Reusable(options, CacheType.Redis, section);
            if (store is null)
            {
                store = new RedisCacheStore(storeOptions);
                state.Remember(store, section);
                index = null;
            }

            options.UseStore(CacheType.Redis, store, storeOptions.DefaultTtl, disposeWithRuntime: true);
            if (options.DefaultType is CacheType.RedisSemantic or CacheType.DualSemantic && options.Semantic.SharedIndex is null or RedisVectorIndex)
            {
                // The shared index of the configured semantic types: its records beside the store's entries, stopped with the store.
                if (index is null)
                {
                    index = new RedisVectorIndex(store, new RedisVectorIndexOptions { KeyPrefix = storeOptions.KeyPrefix + "semantic:" });
                    store.DisposeAlong(index);
                }

                SemanticCacheOptions semantic = options.Semantic.Clone();
                semantic.SharedIndex = index;
                options.Semantic = semantic;
            }
        });
    }
}
