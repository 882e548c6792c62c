using System;
using LlmCache.Testing;

namespace LlmCache.Stores.Tests;

/// <summary>The memory store as an <see cref="ICacheStore"/>, registered as a custom store.</summary>
public sealed class MemoryStoreContractTests : StoreContractTests
{
    private readonly MemoryCacheStore _store = new();

    protected override ICacheStore CreateStore() => _store;
}

/// <summary>The disk store, a new instance over the same directory for every <see cref="CreateStore"/>, registered for <see cref="CacheType.Disk"/>.</summary>
public sealed class DiskStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override CacheType RuntimeType => CacheType.Disk;

    protected override ICacheStore CreateStore() => new DiskCacheStore(_directory.Path);

    protected override void Register(LlmCacheOptions options, ICacheStore store) => options.UseStore(CacheType.Disk, store);

    public void Dispose() => _directory.Dispose();
}

/// <summary>The disk store that the runtime builds itself from <see cref="LlmCacheOptions.UseDisk"/>.</summary>
public sealed class BuiltInDiskStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override CacheType RuntimeType => CacheType.Disk;

    protected override ICacheStore CreateStore() => new DiskCacheStore(new DiskCacheStoreOptions { Directory = _directory.Path, FlushToDisk = false });

    protected override void Register(LlmCacheOptions options, ICacheStore store) => options.UseDisk(((DiskCacheStore)store).RootDirectory);

    public void Dispose() => _directory.Dispose();
}
