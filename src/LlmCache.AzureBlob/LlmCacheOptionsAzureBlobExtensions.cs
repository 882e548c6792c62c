using System;
using Microsoft.Extensions.Logging;

namespace LlmCache.AzureBlob;

/// <summary>Registers an <see cref="AzureBlobCacheStore"/> with <see cref="LlmCacheOptions"/>.</summary>
public static class LlmCacheOptionsAzureBlobExtensions
{
    /// <summary>
    /// Creates an <see cref="AzureBlobCacheStore"/> from <paramref name="azureBlob"/> and registers it for
    /// <see cref="CacheType.AzureBlob"/> (LiteLLM's <c>Cache(type="azure-blob", azure_account_url=..., azure_blob_container=...)</c>).
    /// The store logs through the options' <see cref="LlmCacheOptions.LoggerFactory"/> and judges expiry by their
    /// <see cref="LlmCacheOptions.TimeProvider"/>. The runtime owns the store: disposing the runtime disposes it.
    /// </summary>
    /// <param name="options">The runtime's options.</param>
    /// <param name="azureBlob">The Azure Blob Storage settings.</param>
    /// <param name="defaultTtl">The TTL of entries whose call and method give none; <c>null</c> for the runtime's.</param>
    /// <exception cref="ArgumentException">A setting is missing or invalid; the message names it.</exception>
    public static LlmCacheOptions UseAzureBlob(this LlmCacheOptions options, AzureBlobCacheStoreOptions azureBlob, TimeSpan? defaultTtl = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(azureBlob);
        var store = new AzureBlobCacheStore(azureBlob, options.LoggerFactory?.CreateLogger<AzureBlobCacheStore>(), options.TimeProvider);
        return options.UseStore(CacheType.AzureBlob, store, defaultTtl, disposeWithRuntime: true);
    }

    /// <summary>Registers an <see cref="AzureBlobCacheStore"/> whose settings <paramref name="configure"/> fills in; see <see cref="UseAzureBlob(LlmCacheOptions, AzureBlobCacheStoreOptions, TimeSpan?)"/>.</summary>
    public static LlmCacheOptions UseAzureBlob(this LlmCacheOptions options, Action<AzureBlobCacheStoreOptions> configure, TimeSpan? defaultTtl = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var azureBlob = new AzureBlobCacheStoreOptions();
        configure(azureBlob);
        return options.UseAzureBlob(azureBlob, defaultTtl);
    }
}
