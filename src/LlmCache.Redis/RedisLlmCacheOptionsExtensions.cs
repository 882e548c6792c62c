using System;
using LlmCache.Redis;
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

    private static RedisCacheStoreOptions CreateOptions(LlmCacheOptions options, Action<RedisCacheStoreOptions>? configure)
    {
        var storeOptions = new RedisCacheStoreOptions { LoggerFactory = options.LoggerFactory, TimeProvider = options.TimeProvider };
        configure?.Invoke(storeOptions);
        return storeOptions;
    }
}
