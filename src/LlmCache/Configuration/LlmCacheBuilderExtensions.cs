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

    /// <summary>
    /// Registers <paramref name="store"/> under <paramref name="name"/> for the methods that say
    /// <c>[LlmCached(Store = "name")]</c> (LiteLLM's custom <c>add_cache</c> / <c>get_cache</c>); see
    /// <see cref="LlmCacheOptions.UseStore(string, ICacheStore, TimeSpan?, bool)"/>. The store is also the container's
    /// keyed <see cref="ICacheStore"/> service under <paramref name="name"/>. The application disposes it.
    /// </summary>
    /// <param name="builder">The builder <c>AddLlmCache</c> returned.</param>
    /// <param name="name">The name methods use.</param>
    /// <param name="store">The store.</param>
    /// <param name="defaultTtl">The TTL of entries whose call and method give none; <c>null</c> for the runtime's.</param>
    public static ILlmCacheBuilder AddStore(this ILlmCacheBuilder builder, string name, ICacheStore store, TimeSpan? defaultTtl = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return AddStore(builder, name, defaultTtl, services => services.AddKeyedSingleton(name, store));
    }

    /// <summary>
    /// As <see cref="AddStore(ILlmCacheBuilder, string, ICacheStore, TimeSpan?)"/>, with the store made by
    /// <paramref name="factory"/> from the container's services, once; the container disposes it.
    /// </summary>
    /// <param name="builder">The builder <c>AddLlmCache</c> returned.</param>
    /// <param name="name">The name methods use.</param>
    /// <param name="factory">Makes the store.</param>
    /// <param name="defaultTtl">The TTL of entries whose call and method give none; <c>null</c> for the runtime's.</param>
    public static ILlmCacheBuilder AddStore(this ILlmCacheBuilder builder, string name, Func<IServiceProvider, ICacheStore> factory, TimeSpan? defaultTtl = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return AddStore(builder, name, defaultTtl, services => services.AddKeyedSingleton(name, (provider, _) => factory(provider)));
    }

    private static ILlmCacheBuilder AddStore(ILlmCacheBuilder builder, string name, TimeSpan? defaultTtl, Action<IServiceCollection> register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CacheTtl.ThrowIfInvalidStoreDefault(defaultTtl, nameof(defaultTtl));

        register(builder.Services);

        // Applied at start and on every reload; the keyed singleton is the same store each time.
        builder.Services.AddSingleton(provider => new LlmCacheStoreSetup((options, _) =>
            options.UseStore(name, provider.GetRequiredKeyedService<ICacheStore>(name), defaultTtl)));
        return builder;
    }
}
