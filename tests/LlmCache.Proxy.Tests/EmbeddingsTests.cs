using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary>Embeddings through the proxy: one entry per input of a list.</summary>
public sealed class EmbeddingsTests
{
    /// <summary>The reference's curl request, as it sends it.</summary>
    public const string ReferenceEmbeddings = """
         {
        "model": "text-embedding-ada-002",
        "input": ["write a litellm poem"]
        }
        """;

    [Fact]
    public async Task TheReferencesRequestSentTwice_ReachesTheUpstreamOnce()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage first = await proxy.PostAsync("embeddings", ReferenceEmbeddings);
        using HttpResponseMessage second = await proxy.PostAsync("embeddings", ReferenceEmbeddings);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, upstream.EmbeddingCalls);
        Assert.Equal("miss", first.CacheStatus());
        Assert.Equal("hit", second.CacheStatus());
        Assert.Matches("^[0-9a-f]{64}$", second.CacheKey());
        JsonNode answer = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.Equal("list", (string?)answer["object"]);
        Assert.Equal(FakeOpenAi.VectorFor("write a litellm poem"), answer["data"]![0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AListSendsOnlyItsMissingInputsUpstream_AndAnswersInInputOrder()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/embeddings", """{"model": "text-embedding-ada-002", "input": ["alpha", "beta"]}""");

        using HttpResponseMessage second = await proxy.PostAsync("v1/embeddings", """{"input": ["beta", "gamma", "alpha"], "model": "text-embedding-ada-002"}""");

        Assert.Equal(2, upstream.EmbeddingCalls);
        JsonObject sent = upstream.Requests.Last();
        Assert.Equal(["gamma"], sent["input"]!.AsArray().Select(i => (string)i!).ToArray());
        Assert.Equal("hit", second.CacheStatus());
        JsonArray data = JsonNode.Parse(await second.Content.ReadAsStringAsync())!["data"]!.AsArray();
        string[] expected = ["beta", "gamma", "alpha"];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(i, (int)data[i]!["index"]!);
            Assert.Equal(FakeOpenAi.VectorFor(expected[i]), data[i]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray());
        }
    }

    [Fact]
    public async Task ASingleStringInput_AndTheSameInAList_AreOneEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/embeddings", """{"model": "text-embedding-ada-002", "input": "write a litellm poem"}""");
        using HttpResponseMessage second = await proxy.PostAsync("v1/embeddings", ReferenceEmbeddings);

        Assert.Equal("hit", second.CacheStatus());
        Assert.Equal(1, upstream.EmbeddingCalls);
    }

    [Fact]
    public async Task Base64_IsTheSameVector_EncodedAsTheClientAsked()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/embeddings", ReferenceEmbeddings);
        using HttpResponseMessage encoded = await proxy.PostAsync("v1/embeddings", ReferenceEmbeddings.Replace("\"input\"", "\"encoding_format\": \"base64\", \"input\""));

        Assert.Equal("hit", encoded.CacheStatus());
        Assert.Equal("float", (string?)upstream.Requests.Single()["encoding_format"]);
        string base64 = (string)JsonNode.Parse(await encoded.Content.ReadAsStringAsync())!["data"]![0]!["embedding"]!;
        Assert.Equal(FakeOpenAi.VectorFor("write a litellm poem"), MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray());
    }

    [Fact]
    public async Task AnotherDimensionCount_IsAnotherEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        using HttpResponseMessage first = await proxy.PostAsync("v1/embeddings", ReferenceEmbeddings.Replace("\"input\"", "\"dimensions\": 256, \"input\""));
        using HttpResponseMessage second = await proxy.PostAsync("v1/embeddings", ReferenceEmbeddings.Replace("\"input\"", "\"dimensions\": 512, \"input\""));

        Assert.Equal("miss", second.CacheStatus());
        Assert.Equal(512, (int)upstream.Requests.Last()["dimensions"]!);
    }

    [Fact]
    public async Task TokenArrayInputs_ArePassedThroughUncached()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);
        const string Tokens = """{"model": "text-embedding-ada-002", "input": [[1, 2, 3]], "cache": {"ttl": 60}}""";

        using HttpResponseMessage response = await proxy.PostAsync("v1/embeddings", Tokens);

        Assert.Equal("bypass", response.CacheStatus());
        Assert.False(upstream.Requests.Single().ContainsKey("cache"));
    }
}
