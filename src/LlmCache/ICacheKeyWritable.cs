namespace LlmCache;

/// <summary>
/// A type that writes its own stable cache-key form. Implement it for a key input the generator cannot walk
/// (no public readable data) or when only some of its data should count.
/// </summary>
public interface ICacheKeyWritable
{
    /// <summary>Writes every value that distinguishes this instance, each through a typed <see cref="CacheKeyWriter"/> method.</summary>
    void WriteCacheKey(ref CacheKeyWriter writer);
}
