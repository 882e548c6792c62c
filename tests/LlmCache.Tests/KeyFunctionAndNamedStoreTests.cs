using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmCache.Tests;

/// <summary>
/// LiteLLM's custom <c>get_cache_key</c> (<c>[LlmCached(KeyFunction = ...)]</c>) and custom <c>add_cache</c> /
/// <c>get_cache</c> (<c>[LlmCached(Store = "name")]</c> with <c>UseStore(name, store)</c> or <c>AddStore</c>), and the
/// start-up check that a configuration has the stores the container's cached methods need.
/// </summary>
public sealed class KeyFunctionAndNamedStoreTests
{
    [Fact]
    public async Task Calls_the_key_function_maps_to_one_key_hit_and_other_keys_miss()
    {
        using var runtime = new LlmCacheRuntime();
        var service = new TopicService(runtime);

        string first = await service.AskAsync("Weather in Oslo?", "ann");
        var outcome = new CacheOutcome();
        string second = await service.AskAsync("weather tomorrow", "bob", new CacheControl { Outcome = outcome });

        Assert.Equal(first, second);
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal(1, service.Calls);

        await service.AskAsync("Traffic in Oslo?", "ann", new CacheControl { Outcome = outcome });
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void A_key_function_that_returns_a_string_keys_by_that_string()
    {
        using var runtime = new LlmCacheRuntime();
        var service = new TopicService(runtime);

        Assert.Equal(service.Summarize("Weather in Oslo?", 1), service.Summarize("WEATHER everywhere", 2));
        Assert.Equal(1, service.Calls);
        service.Summarize("Traffic", 1);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task The_same_bytes_from_a_key_function_never_meet_across_methods_or_namespaces()
    {
        using var runtime = new LlmCacheRuntime();
        var service = new TopicService(runtime);

        await service.AskAsync("weather", "ann");
        await service.AskAgainAsync("weather", "ann");
        Assert.Equal(2, service.Calls);

        await service.AskAsync("weather", "ann", new CacheControl { Namespace = "other" });
        Assert.Equal(3, service.Calls);
    }

    [Fact]
    public async Task A_method_with_a_named_store_caches_there_and_not_in_memory()
    {
        var store = new EntryStore("mine");
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore("mine", store));
        var service = new StoreService(runtime);

        var outcome = new CacheOutcome();
        await service.AskMineAsync("q", new CacheControl { Outcome = outcome });
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        await service.AskMineAsync("q", new CacheControl { Outcome = outcome });

        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal("mine", outcome.Tier);
        Assert.Equal(1, service.Calls);
        Assert.Equal(1, store.Count);
        Assert.Equal(1, store.Writes);
        Assert.Equal(0, runtime.MemoryStore.Count);

        // The operations reach a named store too.
        Assert.True(await runtime.RemoveAsync(outcome.RemoteKey!, outcome.Namespace!));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_named_store_is_guarded_like_every_store_outside_the_process()
    {
        var store = new EntryStore("mine") { Fails = true };
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore("mine", store));
        var service = new StoreService(runtime);

        for (int i = 0; i < 8; i++)
        {
            Assert.Equal("mine: q", await service.AskMineAsync("q"));
        }

        // The breaker opens after 5 failures in a row: later calls no longer reach the store.
        Assert.True(store.Attempts < 16, $"{store.Attempts} store operations");
        Assert.Equal(8, service.Calls);
    }

    [Fact]
    public async Task An_unknown_store_name_is_logged_once_and_its_calls_are_answered_uncached()
    {
        var log = new ListLogger();
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = log });
        var service = new StoreService(runtime);

        var outcome = new CacheOutcome();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("mine: q", await service.AskMineAsync("q", new CacheControl { Outcome = outcome }));
            Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        }

        Assert.Equal(3, service.Calls);
        var error = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("StoreService.AskMineAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("'mine'", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseStore(name, store)", error.Message, StringComparison.Ordinal);

        // Registering it later, through Update, makes the method cache.
        runtime.Update(o => o.UseStore("mine", new EntryStore("mine")));
        await service.AskMineAsync("q");
        await service.AskMineAsync("q", new CacheControl { Outcome = outcome });
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.Equal(4, service.Calls);
    }

    [Fact]
    public async Task AddStore_registers_a_store_from_the_container_and_the_host_starts()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<EntryCounter>();
        builder.Services.AddLlmCache().AddStore("mine", provider => new EntryStore("mine", provider.GetRequiredService<EntryCounter>()));
        builder.Services.AddSingleton<StoreService>();
        using IHost host = builder.Build();

        await host.StartAsync();
        StoreService service = host.Services.GetRequiredService<StoreService>();
        await service.AskMineAsync("q");
        await service.AskMineAsync("q");

        Assert.Equal(1, service.Calls);
        Assert.Equal(1, host.Services.GetRequiredService<EntryCounter>().Writes);
        Assert.IsType<EntryStore>(host.Services.GetRequiredKeyedService<ICacheStore>("mine"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_host_whose_configuration_lacks_a_store_its_services_need_fails_to_start_with_one_message()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLlmCache();
        builder.Services.AddSingleton<StoreService>();
        builder.Services.AddScoped<IRedisService, RedisService>();
        using IHost host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        string message = Assert.Single(failure.Failures);
        Assert.Contains("LlmCache.Tests.StoreService.AskMineAsync: no store is registered under the name 'mine'", message, StringComparison.Ordinal);
        Assert.Contains("AddStore(\"mine\", ...)", message, StringComparison.Ordinal);
        Assert.Contains("LlmCache.Tests.RedisService.LookUp: CacheType.Redis needs a store registered for CacheType.Redis", message, StringComparison.Ordinal);

        // Methods whose stores exist are not named.
        Assert.DoesNotContain("AskMemoryAsync", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blank_name_or_a_negative_default_ttl_is_rejected_where_the_store_is_registered()
    {
        var store = new EntryStore("mine");
        Assert.Throws<ArgumentException>(() => new LlmCacheOptions().UseStore(" ", store));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCacheOptions().UseStore("mine", store, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddLlmCache().AddStore("", store));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddLlmCache().AddStore("mine", _ => store, TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void ValidateStoresFor_checks_types_created_without_a_container()
    {
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore("mine", new EntryStore("mine")));
        runtime.ValidateStoresFor([typeof(StoreService), typeof(TopicService), typeof(string)]);

        var failure = Assert.Throws<InvalidOperationException>(() => runtime.ValidateStoresFor([typeof(RedisService)]));
        Assert.Contains("RedisService.LookUp", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A store outside the process, as an application would write one: entries in a dictionary.</summary>
    internal sealed class EntryStore(string name, EntryCounter? counter = null) : ICacheStore
    {
        private readonly ConcurrentDictionary<(string Namespace, string Digest), CacheEntry> _entries = new();
        private int _writes;
        private int _attempts;

        public string Name => name;

        public bool Fails { get; init; }

        public int Count => _entries.Count;

        public int Writes => _writes;

        public int Attempts => _attempts;

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
        {
            Touch();
            return new(_entries.TryGetValue(Key(key), out CacheEntry? entry) ? entry : null);
        }

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
        {
            Touch();
            Interlocked.Increment(ref _writes);
            counter?.Wrote();
            _entries[Key(key)] = entry;
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
        {
            Touch();
            return new(_entries.TryRemove(Key(key), out _));
        }

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
        {
            foreach (var key in _entries.Keys.Where(k => k.Namespace == @namespace))
            {
                _entries.TryRemove(key, out _);
            }

            return ValueTask.CompletedTask;
        }

        private static (string, string) Key(CacheStoreKey key) => (key.Namespace, key.Hex);

        private void Touch()
        {
            Interlocked.Increment(ref _attempts);
            if (Fails)
            {
                throw new InvalidOperationException("The store is down.");
            }
        }
    }

    /// <summary>Counts the writes of the stores a container made.</summary>
    internal sealed class EntryCounter
    {
        private int _writes;

        public int Writes => _writes;

        public void Wrote() => Interlocked.Increment(ref _writes);
    }
}

/// <summary>Methods keyed by a key function: only the question's first word, in lower case, is the key.</summary>
public sealed partial class TopicService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => _calls;

    [LlmCached(KeyFunction = nameof(ByTopic))]
    public partial ValueTask<string> AskAsync(string question, string user, CacheControl control = default);

    [LlmCached(KeyFunction = nameof(ByTopic))]
    public partial ValueTask<string> AskAgainAsync(string question, string user, CacheControl control = default);

    [LlmCached(KeyFunction = nameof(TopicOf))]
    public partial string Summarize(string text, int attempt);

    private ValueTask<string> AskAsyncCore(string question, string user) => new($"answer {Interlocked.Increment(ref _calls)}");

    private ValueTask<string> AskAgainAsyncCore(string question, string user) => new($"again {Interlocked.Increment(ref _calls)}");

    private string SummarizeCore(string text, int attempt) => $"summary {Interlocked.Increment(ref _calls)}";

    private static void ByTopic(ref CacheKeyWriter writer, string question, string user) => writer.WriteString(TopicOf(question, 0));

    private static string TopicOf(string text, int attempt) => text.Split(' ')[0].ToLowerInvariant();
}

/// <summary>A method that caches into the store named "mine", and one in memory.</summary>
public sealed partial class StoreService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => _calls;

    [LlmCached(Store = "mine")]
    public partial ValueTask<string> AskMineAsync(string question, CacheControl control = default);

    [LlmCached(Type = CacheType.Memory)]
    public partial ValueTask<string> AskMemoryAsync(string question);

    private ValueTask<string> AskMineAsyncCore(string question)
    {
        Interlocked.Increment(ref _calls);
        return new("mine: " + question);
    }

    private ValueTask<string> AskMemoryAsyncCore(string question) => new(question);
}

/// <summary>A service registered by its interface.</summary>
public interface IRedisService
{
    string LookUp(string question);
}

/// <summary>A method of <see cref="CacheType.Redis"/>.</summary>
public sealed partial class RedisService(LlmCacheRuntime cache) : IRedisService
{
    [LlmCached(Type = CacheType.Redis)]
    public partial string LookUp(string question);

    private string LookUpCore(string question) => question;
}
