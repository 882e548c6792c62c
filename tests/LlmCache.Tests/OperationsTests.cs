using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// The operator's calls: a call's <see cref="CacheOutcome.RemoteKey"/> names its entry in every process, and
/// <see cref="LlmCacheRuntime.RemoveAsync"/>, <see cref="LlmCacheRuntime.ClearNamespaceAsync"/> and
/// <see cref="LlmCacheRuntime.ClearAllAsync"/> reach the memory tier and the stores.
/// </summary>
public sealed class OperationsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmcache-ops-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_remote_key_is_where_the_store_filed_the_entry_the_same_in_every_runtime_and_on_a_memory_hit()
    {
        await using LlmCacheRuntime first = Dual();
        var service = new OperatedService(first);
        var miss = new CacheOutcome();
        await service.AnswerAsync("q", new CacheControl { Outcome = miss });

        Assert.Equal(CacheOutcomeStatus.Miss, miss.Status);
        Assert.Matches("^[0-9a-f]{64}$", miss.RemoteKey);
        Assert.Equal(string.Empty, miss.Namespace);
        var disk = new DiskCacheStore(_directory);
        Assert.True(File.Exists(disk.GetEntryPath(new CacheStoreKey(miss.Namespace!, Convert.FromHexString(miss.RemoteKey!)))));

        await using LlmCacheRuntime second = Dual();
        var diskHit = new CacheOutcome();
        var memoryHit = new CacheOutcome();
        var reader = new OperatedService(second);
        await reader.AnswerAsync("q", new CacheControl { Outcome = diskHit });
        await reader.AnswerAsync("q", new CacheControl { Outcome = memoryHit });
        Assert.Equal(("disk", "memory"), (diskHit.Tier, memoryHit.Tier));
        Assert.Equal(miss.RemoteKey, diskHit.RemoteKey);
        Assert.Equal(miss.RemoteKey, memoryHit.RemoteKey);

        var other = new CacheOutcome();
        await reader.AnswerAsync("another question", new CacheControl { Outcome = other });
        Assert.NotEqual(miss.RemoteKey, other.RemoteKey);
    }

    [Fact]
    public async Task An_integrity_secret_changes_the_remote_key()
    {
        var plain = new CacheOutcome();
        var keyed = new CacheOutcome();
        var service = new OperatedService(new LlmCacheRuntime());
        await service.AnswerAsync("q", new CacheControl { Outcome = plain });
        var options = new LlmCacheOptions();
        options.Integrity.Secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var sealedService = new OperatedService(new LlmCacheRuntime(options));
        await sealedService.AnswerAsync("q", new CacheControl { Outcome = keyed });

        Assert.Matches("^[0-9a-f]{64}$", keyed.RemoteKey);
        Assert.NotEqual(plain.RemoteKey, keyed.RemoteKey);
    }

    [Fact]
    public async Task Memory_hits_format_the_remote_key_once_per_entry_and_again_when_the_secret_changes()
    {
        // The proxy writes the remote key on every hit: it is kept with the entry, not hashed again per hit.
        await using var runtime = new LlmCacheRuntime();
        var service = new OperatedService(runtime);
        var miss = new CacheOutcome();
        var first = new CacheOutcome();
        var second = new CacheOutcome();
        await service.AnswerAsync("q", new CacheControl { Outcome = miss });
        await service.AnswerAsync("q", new CacheControl { Outcome = first });
        await service.AnswerAsync("q", new CacheControl { Outcome = second });

        Assert.Equal(("memory", "memory"), (first.Tier, second.Tier));
        Assert.Equal(miss.RemoteKey, first.RemoteKey);
        Assert.Same(first.RemoteKey, second.RemoteKey);

        byte[] secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        runtime.Update(o => o.Integrity.Secret = secret);
        var keyed = new CacheOutcome();
        await service.AnswerAsync("q", new CacheControl { Outcome = keyed });
        var options = new LlmCacheOptions();
        options.Integrity.Secret = secret;
        await using var sealedRuntime = new LlmCacheRuntime(options);
        var sealedMiss = new CacheOutcome();
        await new OperatedService(sealedRuntime).AnswerAsync("q", new CacheControl { Outcome = sealedMiss });

        Assert.Equal("memory", keyed.Tier);
        Assert.Equal(sealedMiss.RemoteKey, keyed.RemoteKey);
        Assert.NotEqual(first.RemoteKey, keyed.RemoteKey);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task Remove_by_remote_key_deletes_the_entry_from_memory_and_the_store_and_nothing_else()
    {
        await using LlmCacheRuntime runtime = Dual();
        var service = new OperatedService(runtime);
        var target = new CacheOutcome();
        await service.AnswerAsync("delete me", new CacheControl { Outcome = target });
        await service.AnswerAsync("keep me");

        Assert.True(await runtime.RemoveAsync(target.RemoteKey!, target.Namespace));
        Assert.False(await runtime.RemoveAsync(target.RemoteKey!, target.Namespace));

        var again = new CacheOutcome();
        var kept = new CacheOutcome();
        await service.AnswerAsync("delete me", new CacheControl { Outcome = again });
        await service.AnswerAsync("keep me", new CacheControl { Outcome = kept });
        Assert.Equal(CacheOutcomeStatus.Miss, again.Status);
        Assert.Equal((CacheOutcomeStatus.Hit, "memory"), (kept.Status, kept.Tier));
        Assert.Equal(3, service.Calls);
    }

    [Fact]
    public async Task Clear_namespace_and_clear_all_reach_memory_and_every_store()
    {
        await using LlmCacheRuntime runtime = Dual();
        var service = new OperatedService(runtime);
        await service.AnswerAsync("a", new CacheControl { Namespace = "tenant-1" });
        await service.AnswerAsync("b", new CacheControl { Namespace = "tenant-2" });
        await service.AnswerAsync("c");

        await runtime.ClearNamespaceAsync("tenant-1");
        Assert.Equal(CacheOutcomeStatus.Miss, await StatusOf(service, "a", "tenant-1"));
        Assert.Equal(CacheOutcomeStatus.Hit, await StatusOf(service, "b", "tenant-2"));

        await runtime.ClearAllAsync();
        Assert.Equal(0, runtime.MemoryStore.Count);
        Assert.Equal(CacheOutcomeStatus.Miss, await StatusOf(service, "b", "tenant-2"));
        Assert.Equal(CacheOutcomeStatus.Miss, await StatusOf(service, "c", null));
        Assert.Equal(6, service.Calls);
    }

    [Fact]
    public async Task A_store_that_fails_or_cannot_clear_is_reported_after_the_others_were_cleared()
    {
        var options = new LlmCacheOptions { DefaultType = CacheType.Custom }.UseStore(CacheType.Custom, new NoClearStore()).UseDisk(_directory);
        await using var runtime = new LlmCacheRuntime(options);
        var service = new OperatedService(runtime);
        await service.AnswerAsync("x", new CacheControl());
        var disk = new DiskCacheStore(_directory);
        var key = new CacheStoreKey(string.Empty, new byte[CacheKeyDigests.RemoteLength]);
        await disk.SetAsync(key, new CacheEntry(new byte[] { 1 }, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null));

        AggregateException failure = await Assert.ThrowsAsync<AggregateException>(async () => await runtime.ClearAllAsync());
        Assert.Contains("no-clear", failure.InnerExceptions[0].Message, StringComparison.Ordinal);
        Assert.IsType<NotSupportedException>(failure.InnerExceptions[0].InnerException);
        Assert.Null(await disk.GetAsync(key));
        Assert.Equal(0, runtime.MemoryStore.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_remote_key_that_is_not_64_hex_characters_is_refused(string key)
    {
        await using var runtime = new LlmCacheRuntime();
        await Assert.ThrowsAsync<ArgumentException>(async () => await runtime.RemoveAsync(key));
    }

    private static async Task<CacheOutcomeStatus> StatusOf(OperatedService service, string question, string? @namespace)
    {
        var outcome = new CacheOutcome();
        await service.AnswerAsync(question, new CacheControl { Outcome = outcome, Namespace = @namespace });
        return outcome.Status;
    }

    /// <summary>Memory in front of a store outside the process: Dual, with a disk store in Redis's place.</summary>
    private LlmCacheRuntime Dual() => new(new LlmCacheOptions { DefaultType = CacheType.Dual }.UseStore(CacheType.Redis, new DiskCacheStore(_directory)));

    /// <summary>A store that keeps the default <see cref="ICacheStore.ClearAllAsync"/>.</summary>
    private sealed class NoClearStore : ICacheStore
    {
        private readonly MemoryCacheStore _inner = new();

        public string Name => "no-clear";

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) => _inner.SetAsync(key, entry, cancellationToken);

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => _inner.ClearNamespaceAsync(@namespace, cancellationToken);
    }
}

/// <summary>A cached call whose controls the operations tests set.</summary>
public sealed partial class OperatedService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<string> AnswerAsync(string question, CacheControl control = default);

    private ValueTask<string> AnswerAsyncCore(string question) => new($"{question}#{Interlocked.Increment(ref _calls)}");
}
