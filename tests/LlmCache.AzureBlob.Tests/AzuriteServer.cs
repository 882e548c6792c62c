using System;
using System.Collections.ObjectModel;
using System.Globalization;
using Azure.Storage.Blobs;
using LlmCache.Testing;
using LlmCache.Testing.Servers;

namespace LlmCache.AzureBlob.Tests;

/// <summary>
/// A real Azure Blob Storage emulator for the tests: the blob service of the npm package azurite 3.37.0, installed by
/// the test command into <c>.tools/azurite</c>, as a <see cref="NodeServer"/> (a restart keeps the container and its
/// blobs). Azurite checks shared-key signatures, so the tests sign with the emulator's well-known development account
/// (public, documented by Microsoft as the emulator's key).
/// </summary>
public class AzuriteServer : NodeServer
{
    /// <summary>The emulator's development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's development account key: public, the same in every Azurite.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The container the server is created with.</summary>
    public const string Container = "llmcache-tests";

    /// <summary>Starts the server and creates <see cref="Container"/>.</summary>
    public AzuriteServer()
        : base(RepositoryRoot.Find(), "azurite", "3.37.0", "dist/src/blob/main.js", "Azure Blob", TimeSpan.FromSeconds(60))
    {
        StartOnFreePort();
        CreateContainerClient().CreateIfNotExists();
    }

    /// <summary>The blob service endpoint, for example <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public Uri ServiceUri => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{AccountName}");

    /// <summary>A connection string for the development account on this server.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={ServiceUri};";

    /// <inheritdoc />
    protected override void AddArguments(Collection<string> arguments, string script)
    {
        arguments.Add(script);
        foreach (string argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture), "--location", DataDirectory,
            // The SDK may speak a newer service version than the emulator knows; nothing here depends on one.
            "--skipApiVersionCheck",
            // No reports to a collector on the internet, and no access log on the tests' output.
            "--disableTelemetry", "--silent",
        })
        {
            arguments.Add(argument);
        }
    }

    /// <summary>Settings for a store on this server under its own path prefix, with small timeouts and no retries.</summary>
    public AzureBlobCacheStoreOptions StoreOptions(string? path = null) => new()
    {
        ContainerName = Container,
        ConnectionString = ConnectionString,
        Path = path ?? "t-" + Guid.NewGuid().ToString("N"),
        OperationTimeout = TimeSpan.FromSeconds(5),
        MaxRetries = 0,
    };

    /// <summary>A store on this server under its own path prefix.</summary>
    public AzureBlobCacheStore CreateStore(string? path = null, TimeProvider? timeProvider = null) => new(StoreOptions(path), timeProvider: timeProvider);

    /// <summary>A client of the tests' own, to look at and tamper with blobs behind the store's back.</summary>
    public BlobContainerClient CreateContainerClient() => new(ConnectionString, Container);
}
