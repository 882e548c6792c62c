using System;
using System.IO;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;

namespace LlmCache.S3.Tests;

/// <summary>The <c>s3_use_ssl</c> and <c>s3_verify</c> switches against s3rver speaking HTTPS with a self-signed certificate.</summary>
public sealed class S3TlsTests : IClassFixture<S3TlsTests.TlsServer>, IClassFixture<S3Server>
{
    private readonly TlsServer _tls;
    private readonly S3Server _plain;

    public S3TlsTests(TlsServer tls, S3Server plain)
    {
        _tls = tls;
        _plain = plain;
    }

    [Fact]
    public async Task AnUntrustedCertificateIsRefusedByDefault()
    {
        using var store = new S3CacheStore(_tls.Server.StoreOptions());

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(async () => await store.SetAsync(Key("x"), Entry("x")));
        Assert.True(HasInChain<AuthenticationException>(failure), failure.ToString());
    }

    [Fact]
    public async Task VerifyOffAcceptsTheCertificate()
    {
        S3CacheStoreOptions settings = _tls.Server.StoreOptions();
        settings.Verify = false;
        await AssertRoundTripAsync(settings);
    }

    [Fact]
    public async Task ACaBundleThatHoldsTheCertificateIsTrusted()
    {
        S3CacheStoreOptions settings = _tls.Server.StoreOptions();
        settings.CaBundlePath = _tls.CertificatePath;
        await AssertRoundTripAsync(settings);
    }

    [Fact]
    public async Task ACaBundleOfAnotherCertificateIsNotTrusted()
    {
        S3CacheStoreOptions settings = _tls.Server.StoreOptions();
        settings.CaBundlePath = _tls.OtherCertificatePath;
        using var store = new S3CacheStore(settings);

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(async () => await store.SetAsync(Key("x"), Entry("x")));
        Assert.True(HasInChain<AuthenticationException>(failure), failure.ToString());
    }

    [Fact]
    public async Task AnEndpointWithoutSchemeTakesItFromUseSsl()
    {
        S3CacheStoreOptions tls = _tls.Server.StoreOptions();
        tls.EndpointUrl = $"127.0.0.1:{_tls.Server.Port}";
        tls.Verify = false;
        await AssertRoundTripAsync(tls);

        S3CacheStoreOptions plain = _plain.StoreOptions();
        plain.EndpointUrl = $"127.0.0.1:{_plain.Port}";
        plain.UseSsl = false;
        await AssertRoundTripAsync(plain);

        plain.UseSsl = true;
        using var wrongScheme = new S3CacheStore(plain);
        await Assert.ThrowsAnyAsync<Exception>(async () => await wrongScheme.SetAsync(Key("x"), Entry("x")));
    }

    private static async Task AssertRoundTripAsync(S3CacheStoreOptions settings)
    {
        using var store = new S3CacheStore(settings);
        CacheStoreKey key = Key("tls");
        await store.SetAsync(key, Entry("over tls"));
        CacheEntry? read = await store.GetAsync(key);
        Assert.Equal("over tls", Encoding.UTF8.GetString(read!.Payload.Span));
    }

    private static bool HasInChain<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T)
            {
                return true;
            }
        }

        return false;
    }

    private static CacheStoreKey Key(string input) => CacheStoreKey.FromCanonicalKey("tls", Encoding.UTF8.GetBytes(input));

    private static CacheEntry Entry(string text) => new(Encoding.UTF8.GetBytes(text), CachePayloadKind.Utf8String, DateTimeOffset.UtcNow, null);

    /// <summary>s3rver over HTTPS with a self-signed certificate for 127.0.0.1, and a second certificate it does not use.</summary>
    public sealed class TlsServer : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmcache-s3tls-" + Guid.NewGuid().ToString("N"));

        public TlsServer()
        {
            Directory.CreateDirectory(_directory);
            CertificatePath = Path.Combine(_directory, "server.pem");
            OtherCertificatePath = Path.Combine(_directory, "other.pem");
            string keyPath = Path.Combine(_directory, "server.key");
            WriteSelfSigned(CertificatePath, keyPath);
            WriteSelfSigned(OtherCertificatePath, Path.Combine(_directory, "other.key"));
            Server = S3Server.StartTls(CertificatePath, keyPath);
        }

        public S3Server Server { get; }

        public string CertificatePath { get; }

        public string OtherCertificatePath { get; }

        public void Dispose()
        {
            Server.Dispose();
            Directory.Delete(_directory, recursive: true);
        }

        private static void WriteSelfSigned(string certificatePath, string keyPath)
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
    }
}
