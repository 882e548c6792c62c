using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>Embedding calls cached per input, through the middleware and through an attribute method.</summary>
public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmcache-embed-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The three ways of making the same call: middleware, attribute (IList), attribute (string[]).</summary>
    public static TheoryData<string> Paths => new() { "middleware", "attribute", "attribute-array" };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_list_of_cached_inputs_reaches_the_provider_with_nothing_and_a_partly_cached_one_with_the_missing_inputs_alone(string path)
    {
        var model = new FakeEmbeddingModel();
        Func<string[], CacheOutcome, Task<GeneratedEmbeddings<Embedding<float>>>> embed = Embedder(path, new LlmCacheRuntime(), model);

        await embed(new[] { "hello" }, new CacheOutcome());
        await embed(new[] { "world" }, new CacheOutcome());
        var both = new CacheOutcome();
        GeneratedEmbeddings<Embedding<float>> cached = await embed(new[] { "hello", "world" }, both);

        Assert.Equal(2, model.Batches.Count);
        AssertVectors(new[] { "hello", "world" }, cached);
        Assert.True(both.IsHit);
        Assert.Equal("memory", both.Tier);
        Assert.Equal(FakeEmbeddingModel.TokensOf(new[] { "hello", "world" }), cached.Usage?.InputTokenCount);

        var partly = new CacheOutcome();
        GeneratedEmbeddings<Embedding<float>> mixed = await embed(new[] { "hello", "new" }, partly);

        Assert.Equal(new[] { "new" }, model.Batches[^1]);
        Assert.Equal(3, model.Batches.Count);
        AssertVectors(new[] { "hello", "new" }, mixed);
        Assert.True(partly.IsHit);
        Assert.Equal(FakeEmbeddingModel.TokensOf(new[] { "hello", "new" }), mixed.Usage?.InputTokenCount);
        Assert.Equal(FakeEmbeddingModel.TokensOf(new[] { "hello", "new" }), mixed.Usage?.TotalTokenCount);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_cold_list_is_one_batch_and_a_miss_with_the_providers_usage(string path)
    {
        var model = new FakeEmbeddingModel();
        Func<string[], CacheOutcome, Task<GeneratedEmbeddings<Embedding<float>>>> embed = Embedder(path, new LlmCacheRuntime(), model);
        string[] inputs = { "a", "longer input", "b" };

        var outcome = new CacheOutcome();
        GeneratedEmbeddings<Embedding<float>> result = await embed(inputs, outcome);
        GeneratedEmbeddings<Embedding<float>> again = await embed(inputs.Reverse().ToArray(), new CacheOutcome());

        Assert.Equal(new[] { inputs }, model.Batches);
        Assert.Equal(CacheOutcomeStatus.Miss, outcome.Status);
        AssertVectors(inputs, result);
        AssertVectors(inputs.Reverse().ToArray(), again);

        // Each input's share of the first batch's usage, summed again in another order.
        Assert.Equal(FakeEmbeddingModel.TokensOf(inputs), again.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Per_input_entries_in_a_remote_store_serve_another_runtime_with_their_usage_share()
    {
        var model = new FakeEmbeddingModel();
        using (var first = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Disk }.UseDisk(_directory)))
        {
            await new EmbeddingService(first, model).EmbedAsync(new[] { "alpha", "beta" }, "m");
        }

        using var second = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Disk }.UseDisk(_directory));
        var outcome = new CacheOutcome();
        GeneratedEmbeddings<Embedding<float>> result = await new EmbeddingService(second, model)
            .EmbedAsync(new[] { "beta", "gamma", "alpha" }, "m", new CacheControl { Outcome = outcome });

        Assert.Equal(new[] { new[] { "alpha", "beta" }, new[] { "gamma" } }, model.Batches);
        AssertVectors(new[] { "beta", "gamma", "alpha" }, result);
        Assert.Equal("fake-embed", result[0].ModelId);
        Assert.True(outcome.IsHit);
        Assert.Equal("disk", outcome.Tier);
        Assert.Equal(FakeEmbeddingModel.TokensOf(new[] { "beta", "gamma", "alpha" }), result.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Other_key_inputs_keep_entries_apart()
    {
        var model = new FakeEmbeddingModel();
        var service = new EmbeddingService(new LlmCacheRuntime(), model);

        await service.EmbedAsync(new[] { "same" }, "model-a");
        await service.EmbedAsync(new[] { "same" }, "model-b");
        await service.EmbedSequenceAsync(3, new List<string> { "same" });
        await service.EmbedSequenceAsync(3, new[] { "same" }.Select(s => s));

        Assert.Equal(3, model.Batches.Count);
    }

    [Fact]
    public async Task Concurrent_calls_send_an_input_they_share_once()
    {
        var model = new FakeEmbeddingModel();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.BeforeAnswer = _ => release.Task;
        var service = new EmbeddingService(new LlmCacheRuntime(), model);

        Task<GeneratedEmbeddings<Embedding<float>>> first = service.EmbedAsync(new[] { "x", "shared" }, "m");
        await WaitUntil(() => model.Batches.Count == 1);
        Task<GeneratedEmbeddings<Embedding<float>>> second = service.EmbedAsync(new[] { "shared", "y" }, "m");
        await WaitUntil(() => model.Batches.Count == 2);
        release.SetResult();

        AssertVectors(new[] { "x", "shared" }, await first);
        AssertVectors(new[] { "shared", "y" }, await second);
        Assert.Equal(new[] { new[] { "x", "shared" }, new[] { "y" } }, model.Batches);
    }

    [Fact]
    public async Task A_caller_that_joined_a_cancelled_call_sends_the_input_itself()
    {
        var model = new FakeEmbeddingModel();
        var never = new TaskCompletionSource();
        model.BeforeAnswer = batch => batch.Contains("x") ? never.Task : Task.CompletedTask;
        var service = new EmbeddingService(new LlmCacheRuntime(), model);
        using var cancel = new CancellationTokenSource();

        Task<GeneratedEmbeddings<Embedding<float>>> first = service.EmbedAsync(new[] { "x", "shared" }, "m", cancellationToken: cancel.Token);
        await WaitUntil(() => model.Batches.Count == 1);
        Task<GeneratedEmbeddings<Embedding<float>>> second = service.EmbedAsync(new[] { "shared", "y" }, "m");
        await WaitUntil(() => model.Batches.Count == 2);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        AssertVectors(new[] { "shared", "y" }, await second);
        Assert.Equal(new[] { "shared" }, model.Batches[^1]);
    }

    [Fact]
    public async Task Middleware_controls_travel_in_additional_properties_and_stay_out_of_the_key_and_the_inner_request()
    {
        var model = new FakeEmbeddingModel();
        var inner = new FakeEmbeddingGenerator(model);
        IEmbeddingGenerator<string, Embedding<float>> generator = inner.AsBuilder().UseLlmCache(new LlmCacheRuntime()).Build();
        var options = new EmbeddingGenerationOptions { ModelId = "m", AdditionalProperties = new() { ["user"] = "u1" } };
        await generator.GenerateAsync(new[] { "a" }, options);

        var refreshed = new CacheOutcome();
        await generator.GenerateAsync(new[] { "a" }, WithControls(options, (CacheControlProperties.NoCache, true), (CacheControlProperties.Outcome, refreshed)));
        var hit = new CacheOutcome();
        await generator.GenerateAsync(new[] { "a" }, WithControls(options, (CacheControlProperties.Outcome, hit)));
        await generator.GenerateAsync(new[] { "a" }, new EmbeddingGenerationOptions { ModelId = "m", AdditionalProperties = new() { ["user"] = "u2" } });
        await generator.GenerateAsync(new[] { "b" });
        var onlyControls = new CacheOutcome();
        await generator.GenerateAsync(new[] { "b" }, new EmbeddingGenerationOptions { AdditionalProperties = new() { [CacheControlProperties.Outcome] = onlyControls } });

        Assert.Equal(4, model.Batches.Count);
        Assert.True(onlyControls.IsHit);
        Assert.Equal(CacheOutcomeStatus.Miss, refreshed.Status);
        Assert.True(hit.IsHit);
        Assert.All(inner.Options, o => Assert.DoesNotContain(o?.AdditionalProperties?.Keys ?? new List<string>(), k => k.StartsWith("llmcache.", StringComparison.Ordinal)));
    }

    private static EmbeddingGenerationOptions WithControls(EmbeddingGenerationOptions options, params (string Name, object Value)[] controls)
    {
        EmbeddingGenerationOptions copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(options.AdditionalProperties!);
        foreach ((string name, object value) in controls)
        {
            copy.AdditionalProperties[name] = value;
        }

        return copy;
    }

    private static Func<string[], CacheOutcome, Task<GeneratedEmbeddings<Embedding<float>>>> Embedder(string path, LlmCacheRuntime runtime, FakeEmbeddingModel model)
    {
        var service = new EmbeddingService(runtime, model);
        IEmbeddingGenerator<string, Embedding<float>> generator = new FakeEmbeddingGenerator(model).AsBuilder().UseLlmCache(runtime).Build();
        return path switch
        {
            "middleware" => (inputs, outcome) => generator.GenerateAsync(
                inputs, new EmbeddingGenerationOptions { AdditionalProperties = new() { [CacheControlProperties.Outcome] = outcome } }),
            "attribute" => (inputs, outcome) => service.EmbedAsync(inputs.ToList(), "m", new CacheControl { Outcome = outcome }),
            _ => (inputs, outcome) => service.EmbedManyAsync(inputs, new CacheControl { Outcome = outcome }).AsTask(),
        };
    }

    private static void AssertVectors(string[] inputs, GeneratedEmbeddings<Embedding<float>> result)
    {
        Assert.Equal(inputs.Length, result.Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(FakeEmbeddingModel.VectorOf(inputs[i]), result[i].Vector.ToArray());
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
