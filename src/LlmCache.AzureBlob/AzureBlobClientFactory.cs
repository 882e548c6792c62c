using System;
using System.Net.Http;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;

namespace LlmCache.AzureBlob;

/// <summary>Builds the container client an <see cref="AzureBlobCacheStore"/> talks through, from its options.</summary>
internal static class AzureBlobClientFactory
{
    /// <summary>Creates the client; <paramref name="owned"/> is the HTTP client the store must dispose with it.</summary>
    public static BlobContainerClient Create(AzureBlobCacheStoreOptions options, out IDisposable owned)
    {
        // A connection pool of the store's own, so disposing the store closes its connections, and a connect
        // timeout no longer than an operation may take.
        var http = new HttpClient(
            new SocketsHttpHandler { ConnectTimeout = options.OperationTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        owned = http;

        var client = new BlobClientOptions { Transport = new HttpClientTransport(http) };
        client.Retry.MaxRetries = options.MaxRetries;
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.Delay = TimeSpan.FromMilliseconds(50);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        client.Retry.NetworkTimeout = options.OperationTimeout;

        // Request ids and logs, not the pipeline's own activity per request: the runtime traces each operation.
        client.Diagnostics.IsDistributedTracingEnabled = false;
        options.ConfigureClient?.Invoke(client);

        string container = options.ContainerName!;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new BlobContainerClient(options.ConnectionString, container, client);
        }

        Uri containerUri = ContainerUri(options.ServiceUri!, container);
        return options.Credential is { } credential
            ? new BlobContainerClient(containerUri, credential, client)
            : new BlobContainerClient(containerUri, new AzureSasCredential(options.SasToken!.TrimStart('?')), client);
    }

    /// <summary>The container's URL under the service endpoint, which may itself have a path (the emulator's <c>/devstoreaccount1</c>).</summary>
    private static Uri ContainerUri(Uri service, string container)
    {
        var builder = new UriBuilder(service) { Query = string.Empty };
        builder.Path = builder.Path.TrimEnd('/') + "/" + Uri.EscapeDataString(container);
        return builder.Uri;
    }
}
