using System;
using LlmCache;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the built-in disk store to the runtime <c>AddLlmCache</c> registers.</summary>
public static class LlmCacheBuilderExtensions
{
    /// <summary>
    /// Configures the disk store of <see cref="CacheType.Disk"/> (LiteLLM's <c>type: disk</c>, <c>disk_cache_dir</c>):
    /// after the configuration's <c>Disk</c> keys, <paramref name="configure"/> edits its settings. Make it the store of
    /// methods that name no type with the configuration's <c>type: disk</c> or <see cref="LlmCacheOptions.DefaultType"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddLlmCache</c> returned.</param>
    /// <param name="configure">Edits the disk store's settings; <c>null</c> keeps those from configuration.</param>
    public static ILlmCacheBuilder AddDisk(this ILlmCacheBuilder builder, Action<DiskCacheStoreOptions>? configure = null) =>
        LlmCacheBuilder.AddStoreSetup(builder, (options, _) =>
        {
            DiskCacheStoreOptions disk = options.Disk.Clone();
            configure?.Invoke(disk);
            options.Disk = disk;
        });
}
