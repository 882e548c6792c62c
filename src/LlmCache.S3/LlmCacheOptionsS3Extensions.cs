using System;
using Microsoft.Extensions.Logging;

namespace LlmCache.S3;

/// <summary>Registers an <see cref="S3CacheStore"/> with <see cref="LlmCacheOptions"/>.</summary>
public static class LlmCacheOptionsS3Extensions
{
    /// <summary>
    /// Creates an <see cref="S3CacheStore"/> from <paramref name="s3"/> and registers it for <see cref="CacheType.S3"/>
    /// (LiteLLM's <c>Cache(type="s3", s3_bucket_name=..., ...)</c>). The store logs through the options'
    /// <see cref="LlmCacheOptions.LoggerFactory"/> and judges expiry by their <see cref="LlmCacheOptions.TimeProvider"/>.
    /// The runtime owns the store: disposing the runtime disposes it.
    /// </summary>
    /// <param name="options">The runtime's options.</param>
    /// <param name="s3">The S3 settings.</param>
    /// <param name="defaultTtl">The TTL of entries whose call and method give none; <c>null</c> for the runtime's.</param>
    /// <exception cref="ArgumentException">An S3 setting is missing or invalid; the message names it.</exception>
    public static LlmCacheOptions UseS3(this LlmCacheOptions options, S3CacheStoreOptions s3, TimeSpan? defaultTtl = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(s3);
        var store = new S3CacheStore(s3, options.LoggerFactory?.CreateLogger<S3CacheStore>(), options.TimeProvider);
        return options.UseStore(CacheType.S3, store, defaultTtl, disposeWithRuntime: true);
    }

    /// <summary>Registers an <see cref="S3CacheStore"/> whose settings <paramref name="configure"/> fills in; see <see cref="UseS3(LlmCacheOptions, S3CacheStoreOptions, TimeSpan?)"/>.</summary>
    public static LlmCacheOptions UseS3(this LlmCacheOptions options, Action<S3CacheStoreOptions> configure, TimeSpan? defaultTtl = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var s3 = new S3CacheStoreOptions();
        configure(s3);
        return options.UseS3(s3, defaultTtl);
    }
}
