using System;
using System.IO;

namespace LlmCache;

/// <summary>Where a <see cref="DiskCacheStore"/> keeps its entries, and its limits.</summary>
public sealed class DiskCacheStoreOptions
{
    /// <summary>The most bytes of entry files kept; past it the least recently read entries go first. Default 1 GiB.</summary>
    public const long DefaultMaxBytes = 1024L * 1024 * 1024;

    /// <summary>
    /// The directory of the cache (LiteLLM's <c>disk_cache_dir</c>); <c>null</c> for
    /// <see cref="DefaultDirectory"/>. Processes that name the same directory share the cache.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>The most bytes of entry files kept. Default <see cref="DefaultMaxBytes"/>.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// The TTL of entries whose call and method give none, for the disk store the runtime creates from
    /// <see cref="LlmCacheOptions.Disk"/>; <c>null</c> for the runtime's <see cref="LlmCacheOptions.DefaultTtl"/>,
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no expiry. Zero keeps nothing; other negative values are rejected.
    /// A store registered through <see cref="LlmCacheOptions.UseStore(CacheType, ICacheStore, TimeSpan?, bool)"/> takes the TTL given there instead.
    /// </summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>
    /// Whether each write is flushed to the device before it replaces the entry (default <c>true</c>), so a power
    /// loss cannot leave an empty file under an entry's name. A crash of the process alone never tears an entry either way.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>The directory used when <see cref="Directory"/> is not set: <c>LlmCache/disk</c> under the user's local application-data folder.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "LlmCache", "disk");
        }
    }

    internal string ResolveDirectory() => Path.GetFullPath(Directory ?? DefaultDirectory);

    internal void Validate()
    {
        if (Directory is not null && string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("LlmCache:Disk:Directory must name a directory, or be unset for the default.", nameof(Directory));
        }

        if (MaxBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "LlmCache:Disk:MaxBytes must be at least 1.");
        }

        if (DefaultTtl is { } ttl && !CacheTtl.IsValid(ttl))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTtl), ttl, $"LlmCache:Disk:DefaultTtl {CacheTtl.AcceptedDefaults} for the runtime's.");
        }
    }

    internal DiskCacheStoreOptions Clone() => (DiskCacheStoreOptions)MemberwiseClone();

    internal bool SameAs(DiskCacheStoreOptions other) =>
        string.Equals(Directory, other.Directory, StringComparison.Ordinal) && MaxBytes == other.MaxBytes &&
        DefaultTtl == other.DefaultTtl && FlushToDisk == other.FlushToDisk;
}
