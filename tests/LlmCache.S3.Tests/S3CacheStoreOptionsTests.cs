using System;
using System.IO;
using Amazon.Runtime;
using Amazon.S3;

namespace LlmCache.S3.Tests;

/// <summary>Settings are checked when the store is created, with messages that name the setting; no server needed.</summary>
public sealed class S3CacheStoreOptionsTests
{
    [Fact]
    public void ABucketIsRequired()
    {
        ArgumentException failure = Assert.Throws<ArgumentException>(() => new S3CacheStore(new S3CacheStoreOptions()));
        Assert.Contains("s3_bucket_name", failure.Message);
    }

    [Theory]
    [InlineData("KEY", null, null, "s3_aws_secret_access_key")]
    [InlineData(null, "SECRET", null, "s3_aws_access_key_id")]
    [InlineData(null, null, "TOKEN", "s3_aws_session_token")]
    public void CredentialsMustBeComplete(string? keyId, string? secret, string? token, string named)
    {
        var options = Valid();
        options.AwsAccessKeyId = keyId;
        options.AwsSecretAccessKey = secret;
        options.AwsSessionToken = token;

        ArgumentException failure = Assert.Throws<ArgumentException>(() => new S3CacheStore(options));
        Assert.Contains(named, failure.Message);
    }

    [Fact]
    public void APathThatLeavesNoRoomForNamespaceAndDigestIsRefused_AndTheLongestThatDoesIsAccepted()
    {
        var options = Valid();
        options.Path = "/" + new string('p', 893) + "/";
        using (new S3CacheStore(options))
        {
        }

        options.Path = new string('p', 894);
        ArgumentException failure = Assert.Throws<ArgumentException>(() => new S3CacheStore(options));
        Assert.Contains("s3_path", failure.Message);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("http://")]
    public void TheEndpointMustBeAnHttpUrl(string endpoint)
    {
        var options = Valid();
        options.EndpointUrl = endpoint;

        ArgumentException failure = Assert.Throws<ArgumentException>(() => new S3CacheStore(options));
        Assert.Contains("s3_endpoint_url", failure.Message);
    }

    [Fact]
    public void TheOperationTimeoutMustBePositive()
    {
        var options = Valid();
        options.OperationTimeout = TimeSpan.Zero;

        ArgumentOutOfRangeException failure = Assert.Throws<ArgumentOutOfRangeException>(() => new S3CacheStore(options));
        Assert.Contains("OperationTimeout", failure.Message);
    }

    [Fact]
    public void AMissingCaBundleFailsAtStartUp()
    {
        var options = Valid();
        options.CaBundlePath = Path.Combine(Path.GetTempPath(), "no-such-bundle-" + Guid.NewGuid().ToString("N") + ".pem");

        ArgumentException failure = Assert.Throws<ArgumentException>(() => new S3CacheStore(options));
        Assert.Contains("CaBundlePath", failure.Message);
    }

    [Fact]
    public void TheClientUploadsWithoutChunkingOrOptionalChecksums()
    {
        AmazonS3Config? seen = null;
        var options = Valid();
        options.EndpointUrl = "http://127.0.0.1:9";
        options.MaxErrorRetry = 3;
        options.ConfigureClient = config => seen = config;

        using var store = new S3CacheStore(options);

        Assert.NotNull(seen);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, seen.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, seen.ResponseChecksumValidation);
        Assert.True(seen.ForcePathStyle);
        Assert.Equal(3, seen.MaxErrorRetry);
        Assert.Equal(options.OperationTimeout, seen.ConnectTimeout);
    }

    [Fact]
    public void UseS3RegistersAnS3StoreForCacheTypeS3()
    {
        var options = new LlmCacheOptions().UseS3(s3 =>
        {
            s3.BucketName = "bucket";
            s3.EndpointUrl = "http://127.0.0.1:9";
        }, TimeSpan.FromMinutes(5));

        StoreRegistration registration = options.Stores[CacheType.S3];
        Assert.IsType<S3CacheStore>(registration.Store);
        Assert.Equal("s3", registration.Store.Name);
        Assert.Equal(TimeSpan.FromMinutes(5), registration.DefaultTtl);
    }

    private static S3CacheStoreOptions Valid() => new() { BucketName = "bucket", RegionName = "us-west-2" };
}
