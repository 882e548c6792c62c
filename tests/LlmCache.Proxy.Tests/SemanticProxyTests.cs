using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LlmCache.Embeddings.MiniLM;

namespace LlmCache.Proxy.Tests;

/// <summary>
/// The proxy's in-process semantic type (<c>local-semantic</c>) and its precision guard, with the fake upstream
/// embedding through the real MiniLM model.
/// </summary>
public sealed class SemanticProxyTests
{
    [Theory]
    [InlineData("", "miss", 2)]
    [InlineData("    Semantic: { PrecisionGuard: false }\n", "hit", 1)]
    public async Task LocalSemantic_RefusesAHitWhoseNumberDiffers_UnlessThePrecisionGuardIsOff(string guardLine, string expected, int chatCalls)
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        using var embedder = new MiniLmEmbeddingGenerator();
        upstream.Embedder = embedder;
        string yaml = ReferenceConfigs.Semantic.Replace("\"redis-semantic\"", "local-semantic", StringComparison.Ordinal) + "\n" + guardLine;
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, yaml, ReferenceConfigs.AzureEnvironment(upstream.BaseUrl));

        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.UserChat("gpt-3.5-turbo", "Tell me a joke about 2 cats."));
        using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.UserChat("gpt-3.5-turbo", "Tell me a joke about 3 cats."));

        Assert.Equal("miss", first.CacheStatus());
        Assert.Equal(expected, second.CacheStatus());
        Assert.Equal(chatCalls, upstream.ChatCalls);
    }
}
