using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using LlmCache.Embeddings.MiniLM;
using LlmCache.Redis.Tests.Servers;
using LlmCache.S3.Tests;
using Xunit.Abstractions;

namespace LlmCache.Proxy.Tests;

/// <summary>
/// The reference's Redis, S3 and semantic config.yaml examples, as they are but for the servers' addresses, against a
/// real redis-server and s3rver on 127.0.0.1: the second request is a hit, and a new proxy process (an empty memory)
/// is served from the store.
/// </summary>
public sealed class ReferenceStoreExampleTests(ITestOutputHelper output)
{
    private const string Models = ReferenceConfigs.Models;

    private static async Task AssertCachedAcrossProxiesAsync(string yaml, IReadOnlyDictionary<string, string> environment, string tier)
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using (TestProxy proxy = await TestProxy.StartAsync(upstream, yaml, environment))
        {
            using HttpResponseMessage ping = await proxy.Client.GetAsync("cache/ping");
            Assert.Equal(System.Net.HttpStatusCode.OK, ping.StatusCode);
            Assert.Contains(tier, await ping.Content.ReadAsStringAsync());

            using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
            using HttpResponseMessage second = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
            using HttpResponseMessage embedFirst = await proxy.PostAsync("embeddings", EmbeddingsTests.ReferenceEmbeddings);
            using HttpResponseMessage embedSecond = await proxy.PostAsync("embeddings", EmbeddingsTests.ReferenceEmbeddings);
            Assert.Equal("miss", first.CacheStatus());
            Assert.Equal("hit", second.CacheStatus());
            Assert.Equal("hit", embedSecond.CacheStatus());
        }

        // A new proxy has nothing in memory: its hits come from the store.
        await using (TestProxy restarted = await TestProxy.StartAsync(upstream, yaml, environment))
        {
            using HttpResponseMessage third = await restarted.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
            using HttpResponseMessage embedThird = await restarted.PostAsync("embeddings", EmbeddingsTests.ReferenceEmbeddings);
            Assert.Equal("hit", third.CacheStatus());
            Assert.Equal("hit", embedThird.CacheStatus());
        }

        Assert.Equal(1, upstream.ChatCalls);
        Assert.Equal(1, upstream.EmbeddingCalls);
    }

    [Fact]
    public async Task TheRedisQuickStart_WithRedisHostAndPortInTheEnvironment_Caches()
    {
        using var redis = new RedisServer();
        string yaml = Models + """
            litellm_settings:
              set_verbose: True
              cache: True # set cache responses to True, litellm defaults to using a redis cache
            """;
        var environment = new Dictionary<string, string> { ["REDIS_HOST"] = "127.0.0.1", ["REDIS_PORT"] = redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        await AssertCachedAcrossProxiesAsync(yaml, environment, "redis");
    }

    [Fact]
    public async Task TheRedisQuickStart_WithRedisUrl_Caches()
    {
        using var redis = new RedisServer(password: "liteLlmIsAmazing", port: null, extraArguments: []);
        string yaml = Models + """
            litellm_settings:
              cache: True
            """;
        var environment = new Dictionary<string, string> { ["REDIS_URL"] = $"redis://:liteLlmIsAmazing@127.0.0.1:{redis.Port}/0" };

        await AssertCachedAcrossProxiesAsync(yaml, environment, "redis");
    }

    [Fact]
    public async Task TheAdvancedRedisExample_WithHostPortAndPasswordInCacheParams_Caches()
    {
        using var redis = new RedisServer(password: "your_password", port: null, extraArguments: []);
        string yaml = Models + $"""
            litellm_settings:
              set_verbose: True
              cache: True # set cache responses to True, litellm defaults to using a redis cache
              cache_params: # cache_params are optional
                type: "redis" # The type of cache to initialize. Can be "local" or "redis". Defaults to "local".
                host: "127.0.0.1" # The host address for the Redis cache. Required if type is "redis".
                port: {redis.Port} # The port number for the Redis cache. Required if type is "redis".
                password: "your_password" # The password for the Redis cache. Required if type is "redis".

                # Optional configurations
                supported_call_types: ["acompletion", "completion", "embedding", "aembedding"] # defaults to all litellm call types
            """;

        await AssertCachedAcrossProxiesAsync(yaml, new Dictionary<string, string>(), "redis");
    }

    [Fact]
    public async Task TheS3Example_WithOsEnvironValues_Caches()
    {
        using var s3 = new S3Server();
        string yaml = Models + $"""
            litellm_settings:
              set_verbose: True
              cache: True # set cache responses to True
              cache_params: # set cache params for s3
                type: s3
                s3_bucket_name: {S3Server.Bucket} # AWS Bucket Name for S3
                s3_region_name: us-west-2 # AWS Region Name for S3
                s3_aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID # us os.environ/<variable name> to pass environment variables. This is AWS Access Key ID for S3
                s3_aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY # AWS Secret Access Key for S3
                s3_endpoint_url: {s3.EndpointUrl} # [OPTIONAL] S3 endpoint URL, if you want to use Backblaze/cloudflare s3 buckets
                s3_path: proxy-{System.Guid.NewGuid():N}
            """;
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Server.AccessKey };

        await AssertCachedAcrossProxiesAsync(yaml, environment, "s3");
    }

    [Fact]
    public async Task TheSemanticExample_ServesAParaphraseFromRedis_WithItsSimilarity_AndNotAcrossModels()
    {
        using var redis = new RedisServer();
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        using var embedder = new MiniLmEmbeddingGenerator();
        upstream.Embedder = embedder;
        Dictionary<string, string> environment = ReferenceConfigs.AzureEnvironment(upstream.BaseUrl);
        environment["REDIS_HOST"] = "127.0.0.1";
        environment["REDIS_PORT"] = redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using (TestProxy proxy = await TestProxy.StartAsync(upstream, ReferenceConfigs.Semantic, environment))
        {
            using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.UserChat("gpt-3.5-turbo", "Tell me a joke."));
            using HttpResponseMessage paraphrase = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.UserChat("gpt-3.5-turbo", "Please tell me a joke"));
            using HttpResponseMessage otherModel = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.UserChat("azure-embedding-model", "Tell me a joke."));

            Assert.Equal("miss", first.CacheStatus());
            Assert.Equal("hit", paraphrase.CacheStatus());
            output.WriteLine($"'Please tell me a joke' / 'Tell me a joke.': similarity {Similarity(paraphrase):0.0000}");
            Assert.InRange(Similarity(paraphrase), 0.8, 1.0);
            Assert.Equal(await first.Content.ReadAsStringAsync(), await paraphrase.Content.ReadAsStringAsync());
            Assert.Equal("miss", otherModel.CacheStatus());
            Assert.Equal(2, upstream.ChatCalls);
        }

        // A new proxy loads the prompts' records from Redis: another paraphrase is served without a chat call.
        await using (TestProxy restarted = await TestProxy.StartAsync(upstream, ReferenceConfigs.Semantic, environment))
        {
            using HttpResponseMessage later = await restarted.PostAsync("v1/chat/completions", ChatCompletionsTests.UserChat("gpt-3.5-turbo", "Please, tell me a joke!"));
            Assert.Equal("hit", later.CacheStatus());
            output.WriteLine($"'Please, tell me a joke!' / 'Tell me a joke.' in a new proxy: similarity {Similarity(later):0.0000}");
            Assert.InRange(Similarity(later), 0.8, 1.0);
        }

        Assert.Equal(2, upstream.ChatCalls);
        Assert.All(upstream.Requests.Where(r => r["input"] is not null), r => Assert.Equal("azure-embedding-model", (string?)r["model"]));
    }

    private static double Similarity(HttpResponseMessage response) =>
        double.Parse(response.Headers.GetValues("x-llmcache-similarity").Single(), System.Globalization.CultureInfo.InvariantCulture);
}
