using System;
using System.Text;
using Amazon.S3;

namespace LlmCache.S3;

/// <summary>
/// Settings of an <see cref="S3CacheStore"/>: LiteLLM's <c>s3_*</c> cache parameters in .NET form.
/// </summary>
/// <remarks>
/// <para>
/// LiteLLM's <c>s3_api_version</c> has no counterpart: the AWS SDK for .NET speaks the one S3 API
/// (2006-03-01). Its <c>s3_config</c> (a botocore <c>Config</c>) becomes <see cref="ConfigureClient"/>, which edits
/// the SDK's <see cref="AmazonS3Config"/> after the store has filled it in.
/// </para>
/// <para>
/// Defaults for a cache, where a slow store is worse than none: each operation (with its retries) is cut off after
/// <see cref="OperationTimeout"/> (5 s) and retried at most <see cref="MaxErrorRetry"/> (1) time. Uploads never use
/// aws-chunked encoding and the SDK computes request and response checksums only where S3 requires them, so
/// S3-compatible servers store exactly the bytes sent; the entries carry their own checksum.
/// </para>
/// </remarks>
public sealed class S3CacheStoreOptions
{
    private const string GoogleCloudStorageHost = "storage.googleapis.com";

    /// <summary>The bucket that holds the entries (<c>s3_bucket_name</c>). Required.</summary>
    public string? BucketName { get; set; }

    /// <summary>
    /// The bucket's region, for example <c>us-west-2</c> (<c>s3_region_name</c>). When unset, the SDK's usual
    /// chain decides (<c>AWS_REGION</c>, the shared config file, instance metadata); with an
    /// <see cref="EndpointUrl"/> it defaults to <c>us-east-1</c> for signing.
    /// </summary>
    public string? RegionName { get; set; }

    /// <summary>
    /// A key prefix under which all entries live (<c>s3_path</c>), for example <c>litellm/cache</c>. Objects are named
    /// <c>{Path}/{namespace}/{sha-256 hex}</c>. At most 893 bytes, so that every object key fits S3's 1,024.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// The endpoint of an S3-compatible server (<c>s3_endpoint_url</c>), for example <c>http://127.0.0.1:4568</c>.
    /// Without a scheme, <see cref="UseSsl"/> picks <c>https</c> or <c>http</c>. Setting it turns on path-style
    /// addressing unless <see cref="ForcePathStyle"/> says otherwise.
    /// </summary>
    public string? EndpointUrl { get; set; }

    /// <summary>Whether to talk HTTPS (<c>s3_use_ssl</c>); applies to AWS endpoints and to an <see cref="EndpointUrl"/> without a scheme. Default <c>true</c>.</summary>
    public bool UseSsl { get; set; } = true;

    /// <summary>
    /// Whether to verify the server's TLS certificate (<c>s3_verify</c> as a boolean). Default <c>true</c>; turn it
    /// off only for a test server on a trusted network.
    /// </summary>
    public bool Verify { get; set; } = true;

    /// <summary>
    /// A PEM file of CA certificates to verify the server against instead of the system's roots (<c>s3_verify</c>
    /// as a path). The host name is still checked.
    /// </summary>
    public string? CaBundlePath { get; set; }

    /// <summary>The access key ID (<c>s3_aws_access_key_id</c>). When unset, credentials come from the SDK's default chain.</summary>
    public string? AwsAccessKeyId { get; set; }

    /// <summary>The secret access key (<c>s3_aws_secret_access_key</c>); required with <see cref="AwsAccessKeyId"/>.</summary>
    public string? AwsSecretAccessKey { get; set; }

    /// <summary>A session token for temporary credentials (<c>s3_aws_session_token</c>).</summary>
    public string? AwsSessionToken { get; set; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>); <c>null</c> uses it exactly when <see cref="EndpointUrl"/> is set.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>
    /// Whether clearing a namespace deletes each page of objects with one multi-object delete (<c>POST ?delete</c>)
    /// or object by object. <c>null</c> (the default) uses the batch request except on Google Cloud Storage
    /// (an <see cref="EndpointUrl"/> on <c>storage.googleapis.com</c>), whose XML API has none; set <c>false</c> for
    /// other S3-compatible servers that lack it.
    /// </summary>
    public bool? MultiObjectDelete { get; set; }

    /// <summary>
    /// The most time one read, write or delete may take, retries included; then it fails with a
    /// <see cref="TimeoutException"/> and the call goes on without the store. It must allow for uploading the largest
    /// entries. Also the connect timeout. Default 5 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times the SDK retries a failed request. Default 1.</summary>
    public int MaxErrorRetry { get; set; } = 1;

    /// <summary>Edits the SDK's client configuration after the store has set it up (LiteLLM's <c>s3_config</c>).</summary>
    public Action<AmazonS3Config>? ConfigureClient { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(BucketName))
        {
            throw new ArgumentException("LlmCache:S3:BucketName (s3_bucket_name) is required: name the bucket that holds the cache.", nameof(BucketName));
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "LlmCache:S3:OperationTimeout must be more than zero and at most 10 minutes.");
        }

        if (MaxErrorRetry < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxErrorRetry), MaxErrorRetry, "LlmCache:S3:MaxErrorRetry cannot be negative.");
        }

        if (string.IsNullOrEmpty(AwsAccessKeyId) != string.IsNullOrEmpty(AwsSecretAccessKey))
        {
            throw new ArgumentException(
                "LlmCache:S3:AwsAccessKeyId (s3_aws_access_key_id) and LlmCache:S3:AwsSecretAccessKey (s3_aws_secret_access_key) go together: set both, or neither to use the SDK's default credential chain.",
                nameof(AwsAccessKeyId));
        }

        if (!string.IsNullOrEmpty(AwsSessionToken) && string.IsNullOrEmpty(AwsAccessKeyId))
        {
            throw new ArgumentException("LlmCache:S3:AwsSessionToken (s3_aws_session_token) needs AwsAccessKeyId and AwsSecretAccessKey too.", nameof(AwsSessionToken));
        }

        if (EndpointUrl is not null && ResolveEndpoint() is null)
        {
            throw new ArgumentException($"LlmCache:S3:EndpointUrl (s3_endpoint_url) '{EndpointUrl}' is not an http or https URL.", nameof(EndpointUrl));
        }

        if (Encoding.UTF8.GetByteCount(ObjectStoreKeys.NormalizePrefix(Path)) > ObjectStoreKeys.MaxPrefixBytes)
        {
            throw new ArgumentException($"LlmCache:S3:Path (s3_path) is too long: with a namespace and a digest, object keys would pass S3's limit of {ObjectStoreKeys.MaxKeyBytes} bytes. Keep it under {ObjectStoreKeys.MaxPrefixBytes} bytes.", nameof(Path));
        }

        if (CaBundlePath is not null && !Verify)
        {
            throw new ArgumentException("LlmCache:S3:CaBundlePath and Verify = false contradict each other: verify against the bundle, or not at all.", nameof(CaBundlePath));
        }
    }

    /// <summary>The endpoint as an absolute http(s) URL, the scheme taken from <see cref="UseSsl"/> when the setting has none.</summary>
    internal Uri? ResolveEndpoint()
    {
        if (string.IsNullOrWhiteSpace(EndpointUrl))
        {
            return null;
        }

        string text = EndpointUrl.Contains("://", StringComparison.Ordinal) ? EndpointUrl : (UseSsl ? "https://" : "http://") + EndpointUrl;
        return Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
    }

    /// <summary>Whether <see cref="MultiObjectDelete"/> is on, deciding <c>null</c> by the endpoint.</summary>
    internal bool ResolveMultiObjectDelete() => MultiObjectDelete ?? !IsGoogleCloudStorage(ResolveEndpoint());

    private static bool IsGoogleCloudStorage(Uri? endpoint) =>
        endpoint is not null && (endpoint.Host.Equals(GoogleCloudStorageHost, StringComparison.OrdinalIgnoreCase)
            || endpoint.Host.EndsWith("." + GoogleCloudStorageHost, StringComparison.OrdinalIgnoreCase));

    internal S3CacheStoreOptions Clone() => (S3CacheStoreOptions)MemberwiseClone();
}
