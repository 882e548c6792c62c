using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary><c>--config config.yaml</c>: the reference's file as it is, and the start-up errors that name the key and the line.</summary>
public sealed class ConfigFileTests
{
    private static Task<ProxyStartupException> StartFailsAsync(FakeOpenAi upstream, string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.ThrowsAsync<ProxyStartupException>(async () => await (await TestProxy.StartAsync(upstream, yaml, environment)).DisposeAsync());

    [Fact]
    public async Task ModelList_RoutesEachPublicName_ToItsUpstreamModelAddressAndKey()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using FakeOpenAi other = await FakeOpenAi.StartAsync();
        string yaml = $"""
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
              - model_name: my-local
                litellm_params:
                  model: openai/llama-3-8b
                  api_base: os.environ/LOCAL_API_BASE
                  api_key: os.environ/LOCAL_API_KEY
            litellm_settings:
              cache: True
              cache_params:
                type: local
            """;
        var environment = new Dictionary<string, string> { ["LOCAL_API_BASE"] = other.BaseUrl.AbsoluteUri, ["LOCAL_API_KEY"] = "sk-local" };
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, yaml, environment);

        using HttpResponseMessage routed = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat.Replace("gpt-3.5-turbo", "my-local"));
        using HttpResponseMessage unknown = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat.Replace("gpt-3.5-turbo", "gpt-4"));
        using HttpResponseMessage listed = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);

        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Equal(1, other.ChatCalls);
        Assert.Equal("llama-3-8b", (string?)Assert.Single(other.Requests)["model"]);
        Assert.Equal("Bearer sk-local", other.LastAuthorization);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("gpt-4", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(1, upstream.ChatCalls);
    }

    [Fact]
    public async Task AMissingFile_FailsAtStart_NamingIt()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        string path = Path.Combine(Path.GetTempPath(), "llmcache-missing-" + Guid.NewGuid().ToString("N") + ".yaml");

        ProxyStartupException error = Assert.Throws<ProxyStartupException>(() => ProxyCommandLine.Parse(["--config", path], _ => null));

        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task MalformedYaml_FailsAtStart_NamingTheLine()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: [gpt-3.5-turbo
            litellm_settings:
              cache: True
            """;

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml);

        Assert.Matches(@"line [45]\b", error.Message);
        Assert.Contains("not valid YAML", error.Message);
    }

    [Fact]
    public async Task AnUnknownCacheType_FailsAtStart_NamingTheKeyAndLine()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            litellm_settings:
              cache: True
              cache_params:
                type: memcached
            """;

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml);

        Assert.Contains("cache_params.type (line 4)", error.Message);
        Assert.Contains("memcached", error.Message);
    }

    [Fact]
    public async Task AModelWithoutAnUpstream_FailsAtStart_NamingTheKeyAndLine()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
              - model_name: azure-embedding-model
                litellm_params:
                  model: azure/azure-embedding-model
            """;

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml);

        Assert.Contains("line 7", error.Message);
        Assert.Contains("model_list[1].litellm_params.api_base", error.Message);
    }

    [Fact]
    public async Task AModelWithoutLitellmParams_FailsAtStart()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
            """;

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml);

        Assert.Contains("model_list[0].litellm_params is missing", error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public async Task AnUnsetEnvironmentVariable_FailsAtStart_NamingTheKeyTheVariableAndTheLine()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            litellm_settings:
              cache: True
              cache_params:
                type: s3
                s3_bucket_name: cache-bucket-litellm
                s3_aws_access_key_id: os.environ/LLMCACHE_TEST_UNSET_VARIABLE
            """;

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml);

        Assert.Contains("cache_params.s3_aws_access_key_id", error.Message);
        Assert.Contains("LLMCACHE_TEST_UNSET_VARIABLE", error.Message);
        Assert.Contains("line 6", error.Message);
    }

    [Fact]
    public async Task ACacheSettingTheRuntimeRejects_FailsAtStart_WithItsLine()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            litellm_settings:
              cache: True
              cache_params:
                type: local
                ttl: ten minutes
            """;

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml);

        Assert.Contains("ttl", error.Message);
        Assert.Contains("cache_params.ttl (line 5)", error.Message);
    }

    [Fact]
    public async Task TheSemanticExample_FailsAtStart_SayingSemanticCachingIsNotAvailableYet()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
              - model_name: azure-embedding-model
                litellm_params:
                  model: azure/azure-embedding-model
                  api_base: os.environ/AZURE_API_BASE
                  api_key: os.environ/AZURE_API_KEY
                  api_version: "2023-07-01-preview"
            litellm_settings:
              set_verbose: True
              cache: True # set cache responses to True, litellm defaults to using a redis cache
              cache_params:
                type: "redis-semantic"
                similarity_threshold: 0.8 # similarity threshold for semantic cache
                redis_semantic_cache_embedding_model: azure-embedding-model # set this to a model_name set in model_list
            """;
        var environment = new Dictionary<string, string> { ["AZURE_API_BASE"] = upstream.BaseUrl.AbsoluteUri, ["AZURE_API_KEY"] = "k" };

        ProxyStartupException error = await StartFailsAsync(upstream, Yaml, environment);

        Assert.Contains("cache_params.type (line 15)", error.Message);
        Assert.Contains("semantic", error.Message);
    }
}
