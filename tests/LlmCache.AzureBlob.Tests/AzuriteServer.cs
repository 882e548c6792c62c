using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Azure.Storage.Blobs;
using LlmCache.Testing;
using LlmCache.Testing.Servers;

namespace LlmCache.AzureBlob.Tests;

/// <summary>
/// A real Azure Blob Storage emulator for the tests: the blob service of the npm package azurite 3.37.0 run by node
/// on 127.0.0.1 at a free port, with its data in a temporary folder that outlives <see cref="Stop"/> /
/// <see cref="Start"/>, so a restart keeps the container and its blobs. Azurite checks shared-key signatures, so the
/// tests sign with the emulator's well-known development account (public, documented by Microsoft as the emulator's key).
/// </summary>
/// <remarks>
/// azurite is installed by the test command into <c>.tools/azurite</c> at the repository root
/// (<c>npm install --prefix .tools/azurite azurite@3.37.0</c>). When node or azurite is missing, creating the server
/// throws with that instruction, so the tests fail; they never pass or skip silently.
/// </remarks>
public class AzuriteServer : IDisposable
{
    /// <summary>The emulator's development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's development account key: public, the same in every Azurite.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The container the server is created with.</summary>
    public const string Container = "llmcache-tests";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _script;
    private readonly string _directory;
    private ServerProcess? _process;

    /// <summary>Starts the server and creates <see cref="Container"/>.</summary>
    public AzuriteServer()
    {
        _script = NodeServers.FindScript(RepositoryRoot.Find(), "azurite", "3.37.0", "dist/src/blob/main.js", "Azure Blob");
        _directory = Path.Combine(Path.GetTempPath(), "llmcache-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePorts.Any();
            try
            {
                Start();
                break;
            }
            catch (InvalidOperationException) when (attempt < 5 && !NodeServers.IsNodeMissing())
            {
                // Another process took the port between the probe and the start: try another.
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        CreateContainerClient().CreateIfNotExists();
    }

    /// <summary>The port the server listens on; the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>The blob service endpoint, for example <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public Uri ServiceUri => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{AccountName}");

    /// <summary>A connection string for the development account on this server.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={ServiceUri};";

    /// <summary>Starts the server process and waits until it accepts connections.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("Azurite is already running.");
        }

        // Reap a process that ended on its own before starting its successor.
        Stop();

        var start = new ProcessStartInfo("node");
        start.ArgumentList.Add(_script);
        foreach (string argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture), "--location", _directory,
            // The SDK may speak a newer service version than the emulator knows; nothing here depends on one.
            "--skipApiVersionCheck",
            // No reports to a collector on the internet, and no access log on the tests' output.
            "--disableTelemetry", "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = ServerProcess.Start(start, $"azurite-blob on port {Port}", StartTimeout, Port, () => NodeServers.AcceptsConnections(Port));
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"Azure Blob tests need node on PATH to run azurite, and it could not be started ({exception.Message}). Install Node.js (apt-get install -y nodejs npm), then: npm install --prefix .tools/azurite azurite@3.37.0",
                exception);
        }
    }

    /// <summary>Kills the server process (its data stays for <see cref="Start"/>).</summary>
    public void Stop()
    {
        _process?.Dispose();
        _process = null;
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

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }

        GC.SuppressFinalize(this);
    }
}
