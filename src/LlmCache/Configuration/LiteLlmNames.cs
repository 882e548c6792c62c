using System;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// LiteLLM's <c>Cache(...)</c> and proxy <c>cache_params</c> names, each with the .NET configuration key it stands
/// for. Configuration may use either; the LiteLLM names are rewritten to the .NET keys before binding
/// (<see cref="NormalizedConfiguration"/>). docs/configuration.md lists the same table.
/// </summary>
internal static class LiteLlmNames
{
    /// <summary>The key that LiteLLM's <c>s3_config</c> would map to: it is a botocore object, not a value configuration can hold.</summary>
    public const string S3Config = "s3_config";

    public static readonly IReadOnlyDictionary<string, string> ToDotNet = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["type"] = "DefaultType",
        ["mode"] = "Mode",
        ["namespace"] = "Namespace",
        ["ttl"] = "DefaultTtl",
        ["supported_call_types"] = "SupportedCallKinds",
        ["similarity_threshold"] = "SimilarityThreshold",
        ["default_in_memory_ttl"] = "Memory:DefaultTtl",
        ["disk_cache_dir"] = "Disk:Directory",
        ["host"] = "Redis:Host",
        ["port"] = "Redis:Port",
        ["password"] = "Redis:Password",
        ["default_in_redis_ttl"] = "Redis:DefaultTtl",
        ["redis_flush_size"] = "Redis:FlushSize",
        ["s3_bucket_name"] = "S3:BucketName",
        ["s3_region_name"] = "S3:RegionName",
        ["s3_api_version"] = "S3:ApiVersion",
        ["s3_path"] = "S3:Path",
        ["s3_use_ssl"] = "S3:UseSsl",
        ["s3_verify"] = "S3:Verify",
        ["s3_endpoint_url"] = "S3:EndpointUrl",
        ["s3_aws_access_key_id"] = "S3:AwsAccessKeyId",
        ["s3_aws_secret_access_key"] = "S3:AwsSecretAccessKey",
        ["s3_aws_session_token"] = "S3:AwsSessionToken",
    };

    /// <summary>The LiteLLM name of a .NET key, for messages: <c>"DefaultTtl"</c> gives <c>"ttl"</c>.</summary>
    public static string? FromDotNet(string dotNetKey)
    {
        foreach (KeyValuePair<string, string> pair in ToDotNet)
        {
            if (string.Equals(pair.Value, dotNetKey, StringComparison.OrdinalIgnoreCase) && !string.Equals(pair.Key, dotNetKey, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Key;
            }
        }

        return null;
    }
}
