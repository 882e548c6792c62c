using System;
using Microsoft.Extensions.Configuration;

namespace LlmCache.S3;

/// <summary>
/// The <c>S3</c> section of LlmCache's configuration as text (LiteLLM's <c>s3_*</c> keys are rewritten into it),
/// bound by the source generator and parsed into <see cref="S3CacheStoreOptions"/> with messages that name each setting.
/// </summary>
internal sealed class S3SettingValues
{
    /// <summary>The one S3 API version there is, the only value <c>s3_api_version</c> may name.</summary>
    public const string ApiVersion2006 = "2006-03-01";

    public string? BucketName { get; set; }

    public string? RegionName { get; set; }

    public string? ApiVersion { get; set; }

    public string? Path { get; set; }

    public string? UseSsl { get; set; }

    public string? Verify { get; set; }

    public string? CaBundlePath { get; set; }

    public string? EndpointUrl { get; set; }

    public string? AwsAccessKeyId { get; set; }

    public string? AwsSecretAccessKey { get; set; }

    public string? AwsSessionToken { get; set; }

    public string? ForcePathStyle { get; set; }

    public string? DefaultTtl { get; set; }

    /// <summary>Fills <paramref name="options"/> from the section and returns its default TTL; keys that are unset leave the defaults.</summary>
    public static TimeSpan? ApplyTo(S3CacheStoreOptions options, IConfigurationSection section, LlmCacheSettings settings)
    {
        var values = new S3SettingValues();
        section.Bind(values);
        string Name(string key) => settings.Source.Name("S3:" + key);

        options.BucketName = SettingParser.Trimmed(values.BucketName);
        options.RegionName = SettingParser.Trimmed(values.RegionName);
        if (options.BucketName is null && options.RegionName is not null)
        {
            throw SettingParser.Invalid($"{Name(nameof(RegionName))} is set but {Name(nameof(BucketName))} is not: name the bucket that holds the cache.");
        }

        if (SettingParser.Trimmed(values.ApiVersion) is { } version && version != ApiVersion2006)
        {
            throw SettingParser.Invalid($"{Name(nameof(ApiVersion))} must be {ApiVersion2006}, the S3 API the AWS SDK for .NET speaks, or unset; not '{version}'.");
        }

        options.Path = SettingParser.Trimmed(values.Path);
        options.UseSsl = SettingParser.Boolean(values.UseSsl, Name(nameof(UseSsl))) ?? true;

        // LiteLLM's s3_verify is a boolean or the path of a CA bundle.
        string? verify = SettingParser.Trimmed(values.Verify);
        options.Verify = verify is null || !bool.TryParse(verify, out bool check) || check;
        options.CaBundlePath = SettingParser.Trimmed(values.CaBundlePath) ?? (verify is not null && !bool.TryParse(verify, out _) ? verify : null);
        options.EndpointUrl = SettingParser.Trimmed(values.EndpointUrl);
        options.AwsAccessKeyId = SettingParser.Trimmed(values.AwsAccessKeyId);
        options.AwsSecretAccessKey = string.IsNullOrEmpty(values.AwsSecretAccessKey) ? null : values.AwsSecretAccessKey;
        options.AwsSessionToken = string.IsNullOrEmpty(values.AwsSessionToken) ? null : values.AwsSessionToken;
        options.ForcePathStyle = SettingParser.Boolean(values.ForcePathStyle, Name(nameof(ForcePathStyle)));
        return SettingParser.Ttl(values.DefaultTtl, Name(nameof(DefaultTtl)));
    }
}
