using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace LlmCache.S3;

/// <summary>Builds the SDK client an <see cref="S3CacheStore"/> talks through, from its options.</summary>
internal static class S3ClientFactory
{
    private const string DefaultSigningRegion = "us-east-1";

    /// <summary>Creates the client; <paramref name="owned"/> is what the store must dispose with it (its own HTTP client, if any).</summary>
    public static AmazonS3Client Create(S3CacheStoreOptions options, out IDisposable? owned)
    {
        owned = null;
        var config = new AmazonS3Config
        {
            // Checksums only where S3 requires them, so no upload is sent as aws-chunked with a checksum trailer:
            // S3-compatible servers that don't understand it store the chunk framing as the object's content.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = options.MaxErrorRetry,
            ConnectTimeout = options.OperationTimeout,
            UseHttp = !options.UseSsl,
        };

        if (options.ResolveEndpoint() is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(options.RegionName) ? DefaultSigningRegion : options.RegionName;
            config.ForcePathStyle = options.ForcePathStyle ?? true;
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(options.RegionName))
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.RegionName);
            }

            if (options.ForcePathStyle is { } pathStyle)
            {
                config.ForcePathStyle = pathStyle;
            }
        }

        if (!options.Verify || options.CaBundlePath is not null)
        {
            var factory = new TlsHttpClientFactory(options.Verify ? TrustOnly(LoadBundle(options.CaBundlePath!)) : static (_, _, _, _) => true);
            config.HttpClientFactory = factory;
            owned = factory;
        }

        options.ConfigureClient?.Invoke(config);

        if (string.IsNullOrEmpty(options.AwsAccessKeyId))
        {
            return new AmazonS3Client(config);
        }

        AWSCredentials credentials = string.IsNullOrEmpty(options.AwsSessionToken)
            ? new BasicAWSCredentials(options.AwsAccessKeyId, options.AwsSecretAccessKey)
            : new SessionAWSCredentials(options.AwsAccessKeyId, options.AwsSecretAccessKey, options.AwsSessionToken);
        return new AmazonS3Client(credentials, config);
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception exception) when (exception is System.IO.IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException($"LlmCache:S3:CaBundlePath (s3_verify) '{path}' could not be read as PEM certificates: {exception.Message}", nameof(path), exception);
        }

        if (roots.Count == 0)
        {
            throw new ArgumentException($"LlmCache:S3:CaBundlePath (s3_verify) '{path}' holds no PEM certificates.", nameof(path));
        }

        return roots;
    }

    /// <summary>Accepts a server certificate that chains to one of <paramref name="roots"/> and matches the host name.</summary>
    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection roots) => (_, certificate, chain, errors) =>
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        // SslStream hands the callback an X509Certificate2.
        return certificate is X509Certificate2 leaf && custom.Build(leaf);
    };

    /// <summary>
    /// The one HTTP client of a store whose TLS certificate check is its own, with the SDK's timeouts. The SDK must
    /// not cache it: its cache is keyed by settings that leave the certificate check out, so another client with
    /// the same endpoint and timeouts could be handed this one.
    /// </summary>
    internal sealed class TlsHttpClientFactory(RemoteCertificateValidationCallback validate) : HttpClientFactory, IDisposable
    {
        private readonly object _lock = new();
        private HttpClient? _client;

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            lock (_lock)
            {
                return _client ??= Build(clientConfig);
            }
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public void Dispose()
        {
            lock (_lock)
            {
                _client?.Dispose();
                _client = null;
            }
        }

        private HttpClient Build(IClientConfig clientConfig)
        {
            var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validate },
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            };
            if (clientConfig.ConnectTimeout is { } connectTimeout)
            {
                handler.ConnectTimeout = connectTimeout;
            }

            var client = new HttpClient(handler, disposeHandler: true);
            if (clientConfig.Timeout is { } timeout)
            {
                client.Timeout = timeout;
            }

            return client;
        }
    }
}
