using System;
using LlmCache.Redis;
using Microsoft.Extensions.AI;
using StackExchange.Redis;

namespace LlmCache;

/// <summary>Registers a <see cref="RedisCacheStore"/> with an <see cref="LlmCacheOptions"/>.</summary>
public static class RedisLlmCacheOptionsExtensions
{
    /// <summary>
    /// Caches <see cref="CacheType.Redis"/> methods in Redis, and <see cref="CacheType.Dual"/> methods in memory in
    /// front of it. The server comes from <paramref name="configure"/> or from the <c>REDIS_URL</c> /
    /// <c>REDIS_HOST</c>, <c>REDIS_PORT</c>, <c>REDIS_PASSWORD</c> environment variables;
    /// <see cref="RedisCacheStoreOptions.DefaultTtl"/> becomes the registration's default TTL.
    /// </summary>
    /// <remarks>
    /// The store connects on first use. The runtime owns it: disposing the runtime (as a dependency-injection container
    /// does at shutdown) flushes the buffered writes and closes the connection.
    /// </remarks>
    /// <exception cref="ArgumentException">A Redis setting or environment variable is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">No Redis server is configured.</exception>
    public static LlmCacheOptions UseRedis(this LlmCacheOptions options, Action<RedisCacheStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        RedisCacheStoreOptions storeOptions = CreateOptions(options, configure);
        return options.UseStore(CacheType.Redis, new RedisCacheStore(storeOptions), storeOptions.DefaultTtl, disposeWithRuntime: true);
    }

    /// <summary>
    /// As <see cref="UseRedis(LlmCacheOptions, Action{RedisCacheStoreOptions}?)"/>, over a connection the application
    /// owns: disposing the runtime flushes the store's buffered writes and leaves the connection open.
    /// </summary>
    public static LlmCacheOptions UseRedis(this LlmCacheOptions options, IConnectionMultiplexer connection, Action<RedisCacheStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        RedisCacheStoreOptions storeOptions = CreateOptions(options, configure);
        return options.UseStore(CacheType.Redis, new RedisCacheStore(connection, storeOptions), storeOptions.DefaultTtl, disposeWithRuntime: true);
    }

    /// <summary>
    /// Caches <see cref="CacheType.RedisSemantic"/> and <see cref="CacheType.DualSemantic"/> methods (LiteLLM's
    /// <c>redis-semantic</c>): exact entries in Redis, as <see cref="UseRedis(LlmCacheOptions, Action{RedisCacheStoreOptions}?)"/>
    /// does for <see cref="CacheType.Redis"/>, and the embedded prompts in a <see cref="RedisVectorIndex"/> on the same
    /// connection, which every process that uses the same Redis shares. Sets <see cref="LlmCacheOptions.Semantic"/>'s
    /// embedding generator and shared index; its threshold and guard stay as they are. The index stops when the runtime
    /// closes the store.
    /// </summary>
    /// <param name="options">The runtime options.</param>
    /// <param name="embeddingGenerator">Embeds prompts, for example <c>new MiniLmEmbeddingGenerator()</c>; every process must use the same model.</param>
    /// <param name="configure">Edits the Redis store's settings.</param>
    /// <param name="indexOptions">The index's key prefix and sync settings; the defaults when <c>null</c>.</param>
    public static LlmCacheOptions UseRedisSemantic(
        this LlmCacheOptions options,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        Action<RedisCacheStoreOptions>? configure = null,
        RedisVectorIndexOptions? indexOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embeddingGenerator);
        RedisCacheStoreOptions storeOptions = CreateOptions(options, configure);
        var store = new RedisCacheStore(storeOptions);
        var index = new RedisVectorIndex(store, indexOptions);
        store.DisposeAlong(index);
        options.UseStore(CacheType.Redis, store, storeOptions.DefaultTtl, disposeWithRuntime: true);
        options.Semantic.EmbeddingGenerator = embeddingGenerator;
        options.Semantic.SharedIndex = index;
        return options;
    }

    private static RedisCacheStoreOptions CreateOptions(LlmCacheOptions options, Action<RedisCacheStoreOptions>? configure)
    {
        var storeOptions = new RedisCacheStoreOptions { LoggerFactory = options.LoggerFactory, TimeProvider = options.TimeProvider };
        configure?.Invoke(storeOptions);
        return storeOptions;
    }
}
