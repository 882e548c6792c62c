using System;
using System.Collections.ObjectModel;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LlmCache.Testing;
using LlmCache.Testing.Servers;

namespace LlmCache.S3.Tests;

/// <summary>
/// A real S3-protocol server for the tests: the npm package s3rver 3.7.1, installed by the test command into
/// <c>.tools/s3rver</c>, as a <see cref="NodeServer"/> (a restart keeps the objects). s3rver checks request
/// signatures, so the tests sign with its account (S3RVER / S3RVER).
/// </summary>
public class S3Server : NodeServer
{
    /// <summary>s3rver's built-in access key and secret.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The bucket the server is created with.</summary>
    public const string Bucket = "llmcache-tests";

    private readonly string? _certificatePath;
    private readonly string? _keyPath;

    /// <summary>Starts a plain-HTTP server.</summary>
    public S3Server()
        : this(null, null)
    {
    }

    private S3Server(string? certificatePath, string? keyPath)
        : base(RepositoryRoot.Find(), "s3rver", "3.7.1", "bin/s3rver.js", "S3", TimeSpan.FromSeconds(30))
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        StartOnFreePort();
        if (!IsTls)
        {
            using AmazonS3Client client = CreateRawClient();
            client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }).GetAwaiter().GetResult();
        }
    }

    /// <summary>Starts a server that speaks HTTPS with a PEM certificate and key; its bucket is created at start-up.</summary>
    public static S3Server StartTls(string certificatePath, string keyPath) => new(certificatePath, keyPath);

    /// <summary>Whether the server speaks HTTPS.</summary>
    public bool IsTls => _certificatePath is not null;

    /// <summary>The endpoint URL, for example <c>http://127.0.0.1:4568</c>.</summary>
    public string EndpointUrl => $"{(IsTls ? "https" : "http")}://127.0.0.1:{Port}";

    /// <inheritdoc />
    protected override void AddArguments(Collection<string> arguments, string script)
    {
        // s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (node 17 and later) keeps in its legacy provider.
        arguments.Add("--openssl-legacy-provider");
        arguments.Add(script);
        foreach (string argument in new[] { "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", DataDirectory, "--silent" })
        {
            arguments.Add(argument);
        }

        if (IsTls)
        {
            foreach (string argument in new[] { "--cert", _certificatePath!, "--key", _keyPath!, "--configure-bucket", Bucket })
            {
                arguments.Add(argument);
            }
        }
    }

    /// <summary>Settings for a store on this server under its own path prefix, with small timeouts and no retries.</summary>
    public S3CacheStoreOptions StoreOptions(string? path = null) => new()
    {
        BucketName = Bucket,
        EndpointUrl = EndpointUrl,
        AwsAccessKeyId = AccessKey,
        AwsSecretAccessKey = AccessKey,
        Path = path ?? "t-" + Guid.NewGuid().ToString("N"),
        OperationTimeout = TimeSpan.FromSeconds(5),
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
}
