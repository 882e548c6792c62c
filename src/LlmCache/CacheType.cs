namespace LlmCache;

/// <summary>Which store a <see cref="LlmCachedAttribute"/> method caches into.</summary>
/// <remarks>The names follow LiteLLM's cache types (<c>local</c>, <c>redis</c>, <c>s3</c>, <c>disk</c>, ...).</remarks>
public enum CacheType
{
    /// <summary>The process-wide default type of the <see cref="LlmCacheRuntime"/> (<see cref="LlmCacheOptions.DefaultType"/>, in-memory unless configured).</summary>
    Default = 0,

    /// <summary>The in-process memory store: values are kept as objects, a hit allocates nothing.</summary>
    Memory = 1,

    /// <summary>
    /// A directory on the local disk that survives restarts and crashes and that processes can share: the
    /// <see cref="DiskCacheStore"/> configured by <see cref="LlmCacheOptions.Disk"/> (<see cref="LlmCacheOptions.UseDisk"/>),
    /// in <see cref="DiskCacheStoreOptions.DefaultDirectory"/> unless set; no registration is needed.
    /// </summary>
    Disk = 2,

    /// <summary>A Redis server or cluster (package LlmCache.Redis).</summary>
    Redis = 3,

    /// <summary>The memory store in front of Redis: a Redis hit fills memory, a write goes to both.</summary>
    Dual = 4,

    /// <summary>An S3 bucket or S3-compatible server (package LlmCache.S3).</summary>
    S3 = 5,

    /// <summary>A store the application registers itself through <see cref="LlmCacheOptions.UseStore"/>.</summary>
    Custom = 6,

    /// <summary>An Azure Blob Storage container (package LlmCache.AzureBlob).</summary>
    AzureBlob = 7,
}
