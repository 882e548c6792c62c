using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LlmCache.Testing;
using LlmCache.Testing.Servers;

namespace LlmCache.S3.Tests;

/// <summary>
/// A real S3-protocol server for the tests: the npm package s3rver 3.7.1 run by node on 127.0.0.1 at a free port,
/// with its data in a temporary directory that outlives <see cref="Stop"/> / <see cref="Start"/>, so a restart
/// keeps the objects. s3rver checks request signatures, so the tests sign with its account (S3RVER / S3RVER).
/// </summary>
/// <remarks>
/// s3rver is installed by the test command into <c>.tools/s3rver</c> at the repository root
/// (<c>npm install --prefix .tools/s3rver s3rver@3.7.1</c>). When node or s3rver is missing, creating the server
/// throws with that instruction, so the tests fail; they never pass or skip silently.
/// </remarks>
public class S3Server : IDisposable
{
    /// <summary>s3rver's built-in access key and secret.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The bucket the server is created with.</summary>
    public const string Bucket = "llmcache-tests";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _script;
    private readonly string _directory;
    private readonly string? _certificatePath;
    private readonly string? _keyPath;
    private ServerProcess? _process;

    /// <summary>Starts a plain-HTTP server.</summary>
    public S3Server()
        : this(null, null)
    {
    }

    private S3Server(string? certificatePath, string? keyPath)
    {
        _script = NodeServers.FindScript(RepositoryRoot.Find(), "s3rver", "3.7.1", "bin/s3rver.js", "S3");
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmcache-s3rver-" + Guid.NewGuid().ToString("N"));
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
                // Another process took the port between the probe and the start (s3rver exited, or another server
                // owns the port): try another.
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        if (!IsTls)
        {
            using AmazonS3Client client = CreateRawClient();
            client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }).GetAwaiter().GetResult();
        }
    }

    /// <summary>Starts a server that speaks HTTPS with a PEM certificate and key; its bucket is created at start-up.</summary>
    public static S3Server StartTls(string certificatePath, string keyPath) => new(certificatePath, keyPath);

    /// <summary>The port the server listens on; the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>Whether the server speaks HTTPS.</summary>
    public bool IsTls => _certificatePath is not null;

    /// <summary>The endpoint URL, for example <c>http://127.0.0.1:4568</c>.</summary>
    public string EndpointUrl => $"{(IsTls ? "https" : "http")}://127.0.0.1:{Port}";

    /// <summary>Starts the server process and waits until it accepts connections.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The S3 server is already running.");
        }

        // Reap a process that ended on its own before starting its successor.
        Stop();

        var start = new ProcessStartInfo("node");
        // s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (node 17 and later) keeps in its legacy provider.
        start.ArgumentList.Add("--openssl-legacy-provider");
        start.ArgumentList.Add(_script);
        foreach (string argument in new[] { "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", _directory, "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        if (IsTls)
        {
            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(_certificatePath!);
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(_keyPath!);
            start.ArgumentList.Add("--configure-bucket");
            start.ArgumentList.Add(Bucket);
        }

        try
        {
            _process = ServerProcess.Start(start, $"s3rver on port {Port}", StartTimeout, Port, () => NodeServers.AcceptsConnections(Port));
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"S3 tests need node on PATH to run s3rver, and it could not be started ({exception.Message}). Install Node.js (apt-get install -y nodejs npm), then: npm install --prefix .tools/s3rver s3rver@3.7.1",
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
    public S3CacheStoreOptions StoreOptions(string? path = null) => new()
    {
        BucketName = Bucket,
        EndpointUrl = EndpointUrl,
        AwsAccessKeyId = AccessKey,
        AwsSecretAccessKey = AccessKey,
        Path = path ?? "t-" + Guid.NewGuid().ToString("N"),
        OperationTimeout = TimeSpan.FromSeconds(2),
        MaxErrorRetry = 0,
    };

    /// <summary>A store on this server under its own path prefix.</summary>
    public S3CacheStore CreateStore(string? path = null, TimeProvider? timeProvider = null) => new(StoreOptions(path), timeProvider: timeProvider);

    /// <summary>An SDK client of the tests' own, to look at and tamper with objects behind the store's back.</summary>
    public AmazonS3Client CreateRawClient() => new(
        new BasicAWSCredentials(AccessKey, AccessKey),
        new AmazonS3Config
        {
            ServiceURL = EndpointUrl,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });

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
            // A temporary directory left behind is harmless.
        }

        GC.SuppressFinalize(this);
    }
}
