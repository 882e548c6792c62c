using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace LlmCache.Tests;

/// <summary>
/// Which runtime a service's cached methods use in an app configured with <c>AddLlmCache</c>: the container's, when
/// the service takes it; a service that holds none fails the build (LLMC0020, see the generator tests), and when that
/// is turned off, a call <see cref="LlmCacheRuntime.Shared"/> cannot serve says why it went there.
/// </summary>
public sealed class SharedRuntimeTests
{
    [Fact]
    public async Task A_registered_service_that_takes_the_runtime_caches_in_the_custom_store_AddLlmCache_made_the_default()
    {
        var store = new CountingStore(new MemoryCacheStore());
        await using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(o =>
            {
                o.DefaultType = CacheType.Custom;
                o.UseStore(CacheType.Custom, store);
            })
            .Services.AddSingleton<CustomStoreService>()
            .BuildServiceProvider();
        CustomStoreService service = provider.GetRequiredService<CustomStoreService>();

        string first = await service.AskAsync("what is a cache?");
        var outcome = new CacheOutcome();
        string second = await service.AskAsync("what is a cache?", new CacheControl { Outcome = outcome });

        Assert.Equal(first, second);
        Assert.Equal(1, service.Calls);
        Assert.Equal(1, store.Writes);
        Assert.True(outcome.IsHit);
        Assert.Equal(store.Name, outcome.Tier);
    }

    [Fact]
    public async Task A_call_that_Shared_cannot_serve_says_the_type_holds_no_runtime_and_what_to_add()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NoRuntimeService.AskAsync("what is a cache?").AsTask());

        Assert.Contains("CacheType.Custom needs a store registered", error.Message, StringComparison.Ordinal);
        Assert.Contains("LlmCacheRuntime.Shared", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds no LlmCacheRuntime", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddLlmCache does not configure", error.Message, StringComparison.Ordinal);
        Assert.Contains("LlmCacheRuntime runtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runtime_of_ones_own_that_lacks_the_store_does_not_blame_Shared()
    {
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Custom });
        var service = new CustomStoreService(runtime);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.AskAsync("what is a cache?").AsTask());

        Assert.Contains("CacheType.Custom needs a store registered", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Shared", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>A service that takes the container's runtime.</summary>
public sealed partial class CustomStoreService(LlmCacheRuntime runtime)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

    private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new($"{question}#{Interlocked.Increment(ref _calls)}");
}

/// <summary>A type that holds no runtime, so it uses Shared, which has no custom store; LLMC0020 is off for it on purpose.</summary>
#pragma warning disable LLMC0020
public static partial class NoRuntimeService
{
    [LlmCached(Type = CacheType.Custom)]
    public static partial ValueTask<string> AskAsync(string question, CancellationToken cancellationToken = default);

    private static ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new(question);
}
#pragma warning restore LLMC0020

/// <summary>A store of its own name that counts writes.</summary>
internal sealed class CountingStore(ICacheStore inner) : ICacheStore
{
    private int _writes;

    public string Name => "counting";

    public int Writes => Volatile.Read(ref _writes);

    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return inner.SetAsync(key, entry, cancellationToken);
    }

    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) => inner.ClearNamespaceAsync(@namespace, cancellationToken);
}
