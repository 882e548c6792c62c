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

    /// <summary>A store the application registers itself through <see cref="LlmCacheOptions.UseStore(CacheType, ICacheStore, System.TimeSpan?, bool)"/>.</summary>
    Custom = 6,

    /// <summary>An Azure Blob Storage container (package LlmCache.AzureBlob).</summary>
    AzureBlob = 7,

    /// <summary>
    /// The memory store, answering also prompts that mean the same as a cached one ("Tell me a joke." /
    /// "Please tell me a joke"): the exact key is tried first, then the nearest earlier prompt whose every other key
    /// input is equal, at or above <see cref="LlmCachedAttribute.SimilarityThreshold"/> and accepted by the
    /// <see cref="SemanticPrecisionGuard"/>. Needs <see cref="SemanticCacheOptions.EmbeddingGenerator"/>; the vectors
    /// live in <see cref="SemanticCacheOptions.Index"/>. See docs/semantic/semantic-cache.md.
    /// </summary>
    Semantic = 8,

    /// <summary>
    /// The Redis store (registered for <see cref="Redis"/>), answering also prompts that mean the same as a cached one,
    /// through the vector index shared by every process, <see cref="SemanticCacheOptions.SharedIndex"/>; the
    /// reference's <c>redis-semantic</c>.
    /// </summary>
    RedisSemantic = 9,

    /// <summary>
    /// <see cref="Semantic"/> in front of <see cref="RedisSemantic"/>: the memory store and the in-process index
    /// first, then Redis and the shared index; a Redis hit fills memory. The reference's <c>dual-semantic</c>.
    /// </summary>
    DualSemantic = 10,
}
