using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmCache.Tests;

/// <summary>
/// <c>AddLlmCache(configuration.GetSection("LlmCache"))</c>: LiteLLM's names and the .NET names, <c>os.environ/</c>
/// values, the controls configuration sets, reloads, and one clear start-up failure for each mistake.
/// </summary>
public sealed class ConfigurationTests
{
    private static readonly Message[] Conversation = { new("user", "Hello?") };

    [Fact]
    public void LiteLlm_names_and_dotnet_names_give_the_same_options()
    {
        string directory = Path.Combine(Path.GetTempPath(), "llmcache-config-" + Guid.NewGuid().ToString("N"));
        LlmCacheOptions liteLlm = OptionsFrom($$"""
            { "LlmCache": {
                "type": "disk", "namespace": "team-a", "ttl": 600, "default_in_memory_ttl": "1.5", "mode": "default_off",
                "supported_call_types": ["completion", "embedding"], "similarity_threshold": 0.85,
                "disk_cache_dir": {{System.Text.Json.JsonSerializer.Serialize(directory)}} } }
            """);
        LlmCacheOptions dotNet = OptionsFrom($$"""
            { "LlmCache": {
                "DefaultType": "Disk", "Namespace": "team-a", "DefaultTtl": "00:10:00", "Memory": { "DefaultTtl": 1.5 }, "Mode": "DefaultOff",
                "SupportedCallKinds": ["Chat", "StreamingChat", "Embedding"], "SimilarityThreshold": 0.85,
                "Disk": { "Directory": {{System.Text.Json.JsonSerializer.Serialize(directory)}} } } }
            """);

        foreach (LlmCacheOptions options in new[] { liteLlm, dotNet })
        {
            Assert.Equal(CacheType.Disk, options.DefaultType);
            Assert.Equal("team-a", options.Namespace);
            Assert.Equal(TimeSpan.FromMinutes(10), options.DefaultTtl);
            Assert.Equal(TimeSpan.FromSeconds(1.5), options.Memory.DefaultTtl);
            Assert.Equal(CacheMode.DefaultOff, options.Mode);
            Assert.Equal(new[] { CallKind.Chat, CallKind.StreamingChat, CallKind.Embedding }, options.SupportedCallKinds!.Order());
            Assert.Equal(directory, options.Disk.Directory);
            Assert.Equal(0.85, options.Semantic.SimilarityThreshold);
        }
    }

    [Theory]
    [InlineData("local-semantic", CacheType.Semantic)]
    [InlineData("semantic", CacheType.Semantic)]
    [InlineData("Semantic", CacheType.Semantic)]
    public void Semantic_type_names_and_the_guard_switch_bind_to_the_semantic_options(string name, CacheType expected)
    {
        LlmCacheOptions options = OptionsFrom(
            $$"""{ "LlmCache": { "type": "{{name}}", "Semantic": { "PrecisionGuard": false } } }""",
            o => o.Semantic.EmbeddingGenerator = new FakeEmbeddingGenerator(new FakeEmbeddingModel()));

        Assert.Equal(expected, options.DefaultType);
        Assert.False(options.Semantic.PrecisionGuard);
        Assert.Equal(SemanticCacheOptions.DefaultSimilarityThreshold, options.Semantic.SimilarityThreshold);
    }

    [Fact]
    public async Task A_semantic_default_type_starts_once_its_embedding_generator_is_set()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(ConfiguredServices.Root("""{ "LlmCache": { "type": "local-semantic", "similarity_threshold": 0.9 } }"""));
        builder.Services.AddLlmCache(builder.Configuration.GetSection("LlmCache"), o => o.Semantic.EmbeddingGenerator = new FakeEmbeddingGenerator(new FakeEmbeddingModel()));
        using IHost host = builder.Build();

        await host.StartAsync();

        LlmCacheOptions options = host.Services.GetRequiredService<LlmCacheRuntime>().GetOptions();
        Assert.Equal(CacheType.Semantic, options.DefaultType);
        Assert.Equal(0.9, options.Semantic.SimilarityThreshold);
        await host.StopAsync();
    }

    [Fact]
    public void Os_environ_values_are_read_from_the_environment()
    {
        string variable = "LLMCACHE_TEST_NAMESPACE_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-the-environment");
        try
        {
            LlmCacheOptions options = OptionsFrom($$"""{ "LlmCache": { "namespace": "os.environ/{{variable}}" } }""");

            Assert.Equal("from-the-environment", options.Namespace);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    public static TheoryData<string, string[]> Mistakes => new()
    {
        { """{ "type": "memcached" }""", ["LlmCache:DefaultType (type)", "'memcached'", "local, redis, s3, azure-blob, disk, redis-semantic, dual-semantic or local-semantic", "Memory, Disk, Redis, Dual, S3, AzureBlob, Custom, Semantic, RedisSemantic or DualSemantic"] },
        { """{ "type": "redis-semantic" }""", ["LlmCache:DefaultType (type) is RedisSemantic", "LlmCacheOptions.Semantic.EmbeddingGenerator"] },
        { """{ "type": "dual-semantic" }""", ["LlmCache:DefaultType (type) is DualSemantic", "LlmCacheOptions.Semantic.EmbeddingGenerator"] },
        { """{ "type": "qdrant-semantic" }""", ["LlmCache:DefaultType (type)", "'qdrant-semantic'", "SemanticCacheOptions.SharedIndex"] },
        { """{ "Semantic": { "PrecisionGuard": "maybe" } }""", ["LlmCache:Semantic:PrecisionGuard", "'maybe'"] },
        { """{ "ttl": "ten" }""", ["LlmCache:DefaultTtl (ttl)", "'ten'", SettingParser.TtlForms] },
        { """{ "ttl": -5 }""", ["LlmCache:DefaultTtl (ttl)", "cannot be negative", SettingParser.TtlForms] },
        { """{ "Memory": { "DefaultTtl": "-00:00:05" } }""", ["LlmCache:Memory:DefaultTtl (default_in_memory_ttl)", "cannot be negative"] },
        { """{ "similarity_threshold": 1.5 }""", ["LlmCache:SimilarityThreshold (similarity_threshold)", "from 0 to 1", "'1.5'"] },
        { """{ "supported_call_types": ["completion", "image_generation"] }""", ["LlmCache:SupportedCallKinds (supported_call_types)", "'image_generation'", "embedding", "SpeechToText"] },
        { """{ "mode": "sometimes" }""", ["LlmCache:Mode ", "'sometimes'", "default_on or default_off", "DefaultOn or DefaultOff"] },
        { """{ "type": "redis" }""", ["LlmCache:DefaultType (type) is Redis", "no Redis store is registered", "AddRedis()"] },
        { """{ "host": "127.0.0.1" }""", ["LlmCache:Redis is configured", "AddRedis()"] },
        { """{ "namespace": "os.environ/LLMCACHE_TEST_VARIABLE_THAT_IS_NOT_SET" }""", ["LlmCache:namespace", "'LLMCACHE_TEST_VARIABLE_THAT_IS_NOT_SET' is not set"] },
        { """{ "ttl": 60, "DefaultTtl": 120 }""", ["LlmCache:ttl", "LlmCache:DefaultTtl", "set it once"] },
        { """{ "s3_config": { "retries": 3 } }""", ["LlmCache:s3_config", "ConfigureClient"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_stops_the_host_at_start_up_with_one_message_naming_the_setting(string section, string[] expected)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(ConfiguredServices.Root($$"""{ "LlmCache": {{section}} }"""));
        builder.Services.AddLlmCache(builder.Configuration.GetSection("LlmCache"));
        using IHost host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        ConfiguredServices.AssertOneMessageSaying(failure, expected);
    }

    [Fact]
    public async Task A_good_configuration_starts_the_host()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(ConfiguredServices.Root("""{ "LlmCache": { "type": "local", "ttl": 0 } }"""));
        builder.Services.AddLlmCache(builder.Configuration.GetSection("LlmCache"));
        using IHost host = builder.Build();

        await host.StartAsync();

        Assert.Equal(TimeSpan.Zero, host.Services.GetRequiredService<LlmCacheRuntime>().GetOptions().DefaultTtl);
        await host.StopAsync();
    }

    [Fact]
    public async Task Supported_call_types_from_configuration_switch_a_kind_off()
    {
        using ServiceProvider provider = Provider("""{ "LlmCache": { "supported_call_types": ["embedding", "aembedding"] } }""");
        ChatService service = provider.GetRequiredService<ChatService>();

        await service.AskAsync("m", Conversation, 0f, 1);
        await service.AskAsync("m", Conversation, 0f, 1);

        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task Default_off_from_configuration_caches_only_calls_with_use_cache()
    {
        using ServiceProvider provider = Provider("""{ "LlmCache": { "mode": "default_off" } }""");
        ChatService service = provider.GetRequiredService<ChatService>();

        await service.AskAsync("m", Conversation, 0f, 1);
        await service.AskAsync("m", Conversation, 0f, 1);
        await service.AskAsync("m", Conversation, 0f, 2, new CacheControl { UseCache = true });
        await service.AskAsync("m", Conversation, 0f, 2, new CacheControl { UseCache = true });

        Assert.Equal(3, service.Calls);
    }

    [Fact]
    public async Task A_reload_that_changes_the_namespace_and_the_default_ttl_takes_effect_on_the_next_call()
    {
        var time = new ManualTimeProvider();
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LlmCache:namespace"] = "a", ["LlmCache:ttl"] = "3600" })
            .Build();
        using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(root.GetSection("LlmCache"), o => o.TimeProvider = time)
            .Services.AddTransient<ChatService>()
            .BuildServiceProvider();
        ChatService service = provider.GetRequiredService<ChatService>();
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();

        await service.AskAsync("m", Conversation, 0f, 1);
        await service.AskAsync("m", Conversation, 0f, 1);
        Assert.Equal(1, service.Calls);

        root["LlmCache:namespace"] = "b";
        root["LlmCache:ttl"] = "10";
        root.Reload();

        var inB = new CacheOutcome();
        await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { Outcome = inB });
        await service.AskAsync("m", Conversation, 0f, 1);
        Assert.Equal(2, service.Calls);
        Assert.Equal(CacheOutcomeStatus.Miss, inB.Status);

        time.Advance(TimeSpan.FromSeconds(11));
        await service.AskAsync("m", Conversation, 0f, 1);
        Assert.Equal(3, service.Calls);
        Assert.Equal("b", runtime.GetOptions().Namespace);
        Assert.Same(time, runtime.GetOptions().TimeProvider);
    }

    [Fact]
    public void A_reload_with_a_mistake_is_ignored_and_the_running_configuration_stays()
    {
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LlmCache:namespace"] = "kept", ["LlmCache:ttl"] = "60" })
            .Build();
        using ServiceProvider provider = new ServiceCollection().AddLlmCache(root.GetSection("LlmCache")).Services.BuildServiceProvider();
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();

        root["LlmCache:namespace"] = "lost";
        root["LlmCache:ttl"] = "ten";
        root.Reload();

        Assert.Equal("kept", runtime.GetOptions().Namespace);
        Assert.Equal(TimeSpan.FromSeconds(60), runtime.GetOptions().DefaultTtl);
    }

    [Fact]
    public void A_key_removed_on_reload_goes_back_to_its_default()
    {
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LlmCache:mode"] = "default_off", ["LlmCache:namespace"] = "n" })
            .Build();
        using ServiceProvider provider = new ServiceCollection().AddLlmCache(root.GetSection("LlmCache")).Services.BuildServiceProvider();
        LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
        Assert.Equal(CacheMode.DefaultOff, runtime.GetOptions().Mode);

        root["LlmCache:mode"] = null;
        root.Reload();

        Assert.Equal(CacheMode.DefaultOn, runtime.GetOptions().Mode);
        Assert.Equal("n", runtime.GetOptions().Namespace);
    }

    [Fact]
    public async Task AddDisk_with_type_disk_caches_in_the_configured_directory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "llmcache-config-disk-" + Guid.NewGuid().ToString("N"));
        try
        {
            using ServiceProvider provider = new ServiceCollection()
                .AddLlmCache(ConfiguredServices.Section("""{ "LlmCache": { "type": "disk" } }"""))
                .AddDisk(disk => disk.Directory = directory)
                .Services.AddTransient<ChatService>()
                .BuildServiceProvider();
            ChatService service = provider.GetRequiredService<ChatService>();
            Assert.Null(ConfiguredServices.StartupFailure(provider));

            var outcome = new CacheOutcome();
            await service.AskAsync("m", Conversation, 0f, 1);
            await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { Outcome = outcome });

            Assert.Equal(1, service.Calls);
            Assert.Equal("disk", outcome.Tier);
            Assert.NotEmpty(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void Code_runs_after_configuration_and_wins()
    {
        LlmCacheOptions options = OptionsFrom("""{ "LlmCache": { "namespace": "from-config", "ttl": 60 } }""", o => o.Namespace = "from-code");

        Assert.Equal("from-code", options.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(60), options.DefaultTtl);
    }

    private static ServiceProvider Provider(string json, Action<LlmCacheOptions>? configure = null) =>
        new ServiceCollection().AddLlmCache(ConfiguredServices.Section(json), configure).Services.AddTransient<ChatService>().BuildServiceProvider();

    private static LlmCacheOptions OptionsFrom(string json, Action<LlmCacheOptions>? configure = null)
    {
        using ServiceProvider provider = Provider(json, configure);
        OptionsValidationException? failure = ConfiguredServices.StartupFailure(provider);
        Assert.True(failure is null, failure?.Message);
        return provider.GetRequiredService<LlmCacheRuntime>().GetOptions();
    }
}
