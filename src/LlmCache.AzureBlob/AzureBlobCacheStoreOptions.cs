using System;
using System.Text;
using Azure.Core;
using Azure.Storage.Blobs;

namespace LlmCache.AzureBlob;

/// <summary>
/// Settings of an <see cref="AzureBlobCacheStore"/>: a container, an optional path prefix, and one way to sign in.
/// </summary>
/// <remarks>
/// <para>
/// Exactly one way to sign in: a <see cref="ConnectionString"/> (an account key, a SAS, or the emulator's
/// <c>UseDevelopmentStorage=true</c>); or a <see cref="ServiceUri"/> with a <see cref="Credential"/> (the Azure SDK's
/// credential chain, for example Azure.Identity's <c>DefaultAzureCredential</c>, as LiteLLM's
/// <c>azure_account_url</c> uses); or a <see cref="ServiceUri"/> with a <see cref="SasToken"/>.
/// </para>
/// <para>
/// Defaults for a cache, where a slow store is worse than none: each operation (with its retries) is cut off after
/// <see cref="OperationTimeout"/> (5 s) and retried at most <see cref="MaxRetries"/> (1) time.
/// </para>
/// </remarks>
public sealed class AzureBlobCacheStoreOptions
{
    /// <summary>The container that holds the entries (LiteLLM's <c>azure_blob_container</c>). Required; the store does not create it.</summary>
    public string? ContainerName { get; set; }

    /// <summary>
    /// A storage connection string, for example <c>DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...</c>
    /// or one with a <c>SharedAccessSignature</c>. Keep it in configuration or a secret store, never in code.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service endpoint (LiteLLM's <c>azure_account_url</c>), for example <c>https://myaccount.blob.core.windows.net</c>; with <see cref="Credential"/> or <see cref="SasToken"/>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>An Azure AD credential for <see cref="ServiceUri"/>: a managed identity, a workload identity, <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>A shared access signature for <see cref="ServiceUri"/> (the query string, with or without its leading <c>?</c>); it needs read, write, delete and list on the container.</summary>
    public string? SasToken { get; set; }

    /// <summary>
    /// A prefix under which all entries live, for example <c>litellm/cache</c>. Blobs are named
    /// <c>{Path}/{namespace}/{sha-256 hex}</c>. At most 893 bytes, so that every blob name fits 1,024.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// The most time one read, write or delete may take, retries included; then it fails with a
    /// <see cref="TimeoutException"/> and the call goes on without the store. It must allow for uploading the largest
    /// entries. Also the connect timeout. Default 5 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times the SDK retries a failed request. Default 1.</summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary>Edits the SDK's client options after the store has set them up (a pipeline policy, diagnostics, a service version).</summary>
    public Action<BlobClientOptions>? ConfigureClient { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ContainerName))
        {
            throw new ArgumentException("LlmCache:AzureBlob:ContainerName (azure_blob_container) is required: name the container that holds the cache.", nameof(ContainerName));
        }

        int ways = (string.IsNullOrWhiteSpace(ConnectionString) ? 0 : 1) + (Credential is null ? 0 : 1) + (string.IsNullOrWhiteSpace(SasToken) ? 0 : 1);
        if (ways != 1)
        {
            throw new ArgumentException(
                "LlmCache:AzureBlob:ConnectionString, or LlmCache:AzureBlob:ServiceUri (azure_account_url) with a Credential or a LlmCache:AzureBlob:SasToken: set exactly one way to sign in.",
                nameof(ConnectionString));
        }

        if (string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is null)
        {
            throw new ArgumentException("LlmCache:AzureBlob:ServiceUri (azure_account_url) is required with a Credential or a SasToken.", nameof(ServiceUri));
        }

        if (!string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is not null)
        {
            throw new ArgumentException("LlmCache:AzureBlob:ServiceUri and ConnectionString contradict each other: the connection string names its endpoint.", nameof(ServiceUri));
        }

        if (ServiceUri is not null && (!ServiceUri.IsAbsoluteUri || (ServiceUri.Scheme != Uri.UriSchemeHttp && ServiceUri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"LlmCache:AzureBlob:ServiceUri (azure_account_url) '{ServiceUri}' is not an absolute http or https URL.", nameof(ServiceUri));
        }

        if (Credential is not null && ServiceUri is { Scheme: "http" })
        {
            // The SDK refuses to send a bearer token over plain HTTP; say so before the first call fails.
            throw new ArgumentException($"LlmCache:AzureBlob:ServiceUri '{ServiceUri}' must be https to sign in with a Credential.", nameof(ServiceUri));
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "LlmCache:AzureBlob:OperationTimeout must be more than zero and at most 10 minutes.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "LlmCache:AzureBlob:MaxRetries cannot be negative.");
        }

        if (Encoding.UTF8.GetByteCount(ObjectStoreKeys.NormalizePrefix(Path)) > ObjectStoreKeys.MaxPrefixBytes)
        {
            throw new ArgumentException($"LlmCache:AzureBlob:Path is too long: with a namespace and a digest, blob names would pass the limit of {ObjectStoreKeys.MaxKeyBytes}. Keep it under {ObjectStoreKeys.MaxPrefixBytes} bytes.", nameof(Path));
        }
    }

    internal AzureBlobCacheStoreOptions Clone() => (AzureBlobCacheStoreOptions)MemberwiseClone();
}
