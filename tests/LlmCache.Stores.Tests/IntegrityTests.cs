using System;
using System.IO;
using System.Threading.Tasks;
using LlmCache.Testing;

namespace LlmCache.Stores.Tests;

/// <summary>Integrity against the disk store: entries planted as files in the cache directory.</summary>
public sealed class DiskIntegrityTests : IntegrityContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override CacheType RuntimeType => CacheType.Disk;

    protected override void Register(LlmCacheOptions options) => options.UseDisk(_directory.Path);

    protected override async Task<byte[]?> ReadStoredAsync(CacheStoreKey key)
    {
        string path = new DiskCacheStore(_directory.Path).GetEntryPath(key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
    }

    protected override async Task WriteStoredAsync(CacheStoreKey key, byte[] stored)
    {
        string path = new DiskCacheStore(_directory.Path).GetEntryPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, stored);
    }

    public void Dispose() => _directory.Dispose();
}

/// <summary>Integrity against a custom store (the memory store registered as one): the runtime seals, the store stays unaware.</summary>
public sealed class CustomStoreIntegrityTests : IntegrityContractTests
{
    private readonly MemoryCacheStore _store = new();

    protected override CacheType RuntimeType => CacheType.Custom;

    protected override void Register(LlmCacheOptions options) => options.UseStore(CacheType.Custom, _store);

    protected override async Task<byte[]?> ReadStoredAsync(CacheStoreKey key) =>
        await _store.GetAsync(key) is { } entry ? CacheEntryEnvelope.Encode(entry) : null;

    protected override async Task WriteStoredAsync(CacheStoreKey key, byte[] stored)
    {
        Assert.True(CacheEntryEnvelope.TryDecode(stored, out CacheEntry? entry));
        await _store.SetAsync(key, entry!);
    }
}
