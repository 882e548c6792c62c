using System;

namespace LlmCache;

/// <summary>The cache type names configuration accepts: LiteLLM's and the <see cref="CacheType"/> names.</summary>
internal static class CacheTypeNames
{
    private const string Accepted = "local, redis, s3, azure-blob, disk, redis-semantic, dual-semantic or local-semantic (LiteLLM's names), or Memory, Disk, Redis, Dual, S3, AzureBlob, Custom, Semantic, RedisSemantic or DualSemantic";

    /// <summary>The type <paramref name="text"/> names; <c>null</c> when unset.</summary>
    public static CacheType? Parse(string? text, string name)
    {
        if (SettingParser.Trimmed(text) is not { } value)
        {
            return null;
        }

        switch (value.ToLowerInvariant())
        {
            case "local" or "memory":
                return CacheType.Memory;
            case "redis":
                return CacheType.Redis;
            case "s3":
                return CacheType.S3;
            case "disk":
                return CacheType.Disk;
            case "azure-blob" or "azureblob":
                return CacheType.AzureBlob;
            case "dual":
                return CacheType.Dual;
            case "custom":
                return CacheType.Custom;
            case "semantic" or "local-semantic":
                return CacheType.Semantic;
            case "redis-semantic" or "redissemantic":
                return CacheType.RedisSemantic;
            case "dual-semantic" or "dualsemantic":
                return CacheType.DualSemantic;
            case "qdrant-semantic":
                throw SettingParser.Invalid($"{name} is '{value}': a Qdrant semantic cache is not built in; plug a vector index over Qdrant into SemanticCacheOptions.SharedIndex and use redis-semantic or dual-semantic (issue #11). Use {Accepted}.");
            default:
                throw SettingParser.Invalid($"{name} must be {Accepted}, not '{value}'.");
        }
    }
}
