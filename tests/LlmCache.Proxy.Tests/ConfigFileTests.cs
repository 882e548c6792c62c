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
    // Every start-up failure test: a fake upstream, the proxy started with the file, the exception it throws.
    private static async Task<ProxyStartupException> StartFailsAsync(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        return await Assert.ThrowsAsync<ProxyStartupException>(async () => await (await TestProxy.StartAsync(upstream, yaml, environment)).DisposeAsync());
    }

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
    public void AMissingFile_FailsAtStart_NamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "llmcache-missing-" + Guid.NewGuid().ToString("N") + ".yaml");

        ProxyStartupException error = Assert.Throws<ProxyStartupException>(() => ProxyCommandLine.Parse(["--config", path], _ => null));

        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task MalformedYaml_FailsAtStart_NamingTheLine()
    {
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: [gpt-3.5-turbo
            litellm_settings:
              cache: True
            """;

        ProxyStartupException error = await StartFailsAsync(Yaml);

        Assert.Matches(@"line [45]\b", error.Message);
        Assert.Contains("not valid YAML", error.Message);
    }

    [Fact]
    public async Task AnUnknownCacheType_FailsAtStart_NamingTheKeyAndLine()
    {
        const string Yaml = """
            litellm_settings:
              cache: True
              cache_params:
                type: memcached
            """;

        ProxyStartupException error = await StartFailsAsync(Yaml);

        Assert.Contains("cache_params.type (line 4)", error.Message);
        Assert.Contains("memcached", error.Message);
    }

    [Fact]
    public async Task AModelWithoutAnUpstream_FailsAtStart_NamingTheKeyAndLine()
    {
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
              - model_name: azure-embedding-model
                litellm_params:
                  model: azure/azure-embedding-model
            """;

        ProxyStartupException error = await StartFailsAsync(Yaml);

        Assert.Contains("line 7", error.Message);
        Assert.Contains("model_list[1].litellm_params.api_base", error.Message);
    }

    [Fact]
    public async Task AModelWithoutLitellmParams_FailsAtStart()
    {
        const string Yaml = """
            model_list:
              - model_name: gpt-3.5-turbo
            """;

        ProxyStartupException error = await StartFailsAsync(Yaml);

        Assert.Contains("model_list[0].litellm_params is missing", error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public async Task AnUnsetEnvironmentVariable_FailsAtStart_NamingTheKeyTheVariableAndTheLine()
    {
        const string Yaml = """
            litellm_settings:
              cache: True
              cache_params:
                type: s3
                s3_bucket_name: cache-bucket-litellm
                s3_aws_access_key_id: os.environ/LLMCACHE_TEST_UNSET_VARIABLE
            """;

        ProxyStartupException error = await StartFailsAsync(Yaml);

        Assert.Contains("cache_params.s3_aws_access_key_id", error.Message);
        Assert.Contains("LLMCACHE_TEST_UNSET_VARIABLE", error.Message);
        Assert.Contains("line 6", error.Message);
    }

    [Fact]
    public async Task ACacheSettingTheRuntimeRejects_FailsAtStart_WithItsLine()
    {
        const string Yaml = """
            litellm_settings:
              cache: True
              cache_params:
                type: local
                ttl: ten minutes
            """;

        ProxyStartupException error = await StartFailsAsync(Yaml);

        Assert.Contains("ttl", error.Message);
        Assert.Contains("cache_params.ttl (line 5)", error.Message);
    }

    [Fact]
    public async Task TheQdrantSemanticType_FailsAtStart_NamingTheLineAndTheVectorDataAdapter()
    {
        string yaml = ReferenceConfigs.Semantic.Replace("\"redis-semantic\"", "\"qdrant-semantic\"", StringComparison.Ordinal);

        ProxyStartupException error = await StartFailsAsync(yaml, ReferenceConfigs.AzureEnvironment(new Uri("http://127.0.0.1:9/v1")));

        Assert.Contains("cache_params.type (line 15)", error.Message);
        Assert.Contains("qdrant-semantic", error.Message);
        Assert.Contains("docs/semantic/vector-data.md", error.Message);
    }

    [Theory]
    [InlineData("redis_semantic_cache_embedding_model: azure-embedding-model", "", "embeds prompts")]
    [InlineData("azure-embedding-model # set this", "text-embedding-3-small # set this", "'text-embedding-3-small', which is not a model_name of model_list")]
    public async Task ASemanticTypeWithoutItsEmbeddingModel_FailsAtStart_SayingWhatIsMissing(string replaced, string by, string expected)
    {
        string yaml = ReferenceConfigs.Semantic.Replace(replaced, by, StringComparison.Ordinal);

        ProxyStartupException error = await StartFailsAsync(yaml, ReferenceConfigs.AzureEnvironment(new Uri("http://127.0.0.1:9/v1")));

        Assert.Contains("redis_semantic_cache_embedding_model", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
