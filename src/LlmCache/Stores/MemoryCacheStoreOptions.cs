using System;

namespace LlmCache;

/// <summary>Limits and defaults of a <see cref="MemoryCacheStore"/>.</summary>
public sealed class MemoryCacheStoreOptions
{
    /// <summary>The most entries kept; the least recently used go first. Default 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>The most bytes kept (key bytes plus value size), counted as <see cref="MemoryCacheStore"/> describes. Default 256 MiB.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// The TTL of entries whose call and method give none (LiteLLM's <c>default_in_memory_ttl</c>); <c>null</c>
    /// for the runtime's <see cref="LlmCacheOptions.DefaultTtl"/>, <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// to keep them until evicted. Zero keeps nothing; other negative values are rejected. In <see cref="CacheType.Dual"/> a memory
    /// copy never outlives the remote entry.
    /// </summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>The size counted for a value whose size cannot be known without serialising it. Default 1 KiB.</summary>
    public int AssumedValueSize { get; set; } = 1024;

    internal void Validate()
    {
        if (MaxEntries <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries, "LlmCache:Memory:MaxEntries must be at least 1.");
        }

        if (MaxBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "LlmCache:Memory:MaxBytes must be at least 1.");
        }

        if (DefaultTtl is { } ttl && !CacheTtl.IsValid(ttl))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTtl), ttl, $"LlmCache:Memory:DefaultTtl {CacheTtl.AcceptedDefaults} for the runtime's.");
        }

        if (AssumedValueSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AssumedValueSize), AssumedValueSize, "LlmCache:Memory:AssumedValueSize cannot be negative.");
        }
    }

    internal MemoryCacheStoreOptions Clone() => (MemoryCacheStoreOptions)MemberwiseClone();
}
