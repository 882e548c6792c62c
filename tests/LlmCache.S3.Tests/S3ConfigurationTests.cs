using System;
using System.Threading.Tasks;
using LlmCache.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmCache.S3.Tests;

/// <summary>The S3 store from configuration: LiteLLM's own <c>cache_params</c> example with <c>os.environ/</c> values, and mistakes.</summary>
public sealed class S3ConfigurationTests : IClassFixture<S3Server>
{
    private readonly S3Server _server;

    public S3ConfigurationTests(S3Server server) => _server = server;

    [Fact]
    public async Task LiteLlms_s3_cache_params_example_with_environment_values_gets_a_working_store()
    {
        // LiteLLM's proxy example, as JSON: the credentials are os.environ/ references, the endpoint is the test server.
        string suffix = Guid.NewGuid().ToString("N");
        string keyVariable = "LLMCACHE_TEST_AWS_ACCESS_KEY_ID_" + suffix;
        string secretVariable = "LLMCACHE_TEST_AWS_SECRET_ACCESS_KEY_" + suffix;
        Environment.SetEnvironmentVariable(keyVariable, S3Server.AccessKey);
        Environment.SetEnvironmentVariable(secretVariable, S3Server.AccessKey);
        try
        {
            string path = "config-" + suffix;
            IConfigurationSection section = ConfiguredServices.Section($$"""
                { "LlmCache": {
                    "type": "s3",
                    "s3_bucket_name": "{{S3Server.Bucket}}",
                    "s3_region_name": "us-west-2",
                    "s3_aws_access_key_id": "os.environ/{{keyVariable}}",
                    "s3_aws_secret_access_key": "os.environ/{{secretVariable}}",
                    "s3_endpoint_url": "{{_server.EndpointUrl}}",
                    "s3_path": "{{path}}",
                    "s3_api_version": "2006-03-01" } }
                """);
            using ServiceProvider provider = new ServiceCollection().AddLlmCache(section).AddS3().Services.BuildServiceProvider();
            Assert.Null(ConfiguredServices.StartupFailure(provider));
            LlmCacheRuntime runtime = provider.GetRequiredService<LlmCacheRuntime>();
            CachedMethod<string> method = CachedCalls.Method(CacheType.Default, null);
            int calls = 0;

            var second = new CacheOutcome();
            await GeneratedCall.AskAsync(runtime, method, "hello", p => p + " #" + ++calls);
            string answer = await GeneratedCall.AskAsync(runtime, method, "hello", p => p + " #" + ++calls, new CacheControl { Outcome = second });

            Assert.Equal(1, calls);
            Assert.Equal("hello #1", answer);
            Assert.Equal(CacheOutcomeStatus.Hit, second.Status);
            Assert.Equal("s3", second.Tier);
            using Amazon.S3.AmazonS3Client client = _server.CreateRawClient();
            var listing = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = path + "/" });
            Assert.Single(listing.S3Objects);
        }
        finally
        {
            Environment.SetEnvironmentVariable(keyVariable, null);
            Environment.SetEnvironmentVariable(secretVariable, null);
        }
    }

    public static TheoryData<string, string[]> Mistakes => new()
    {
        { """{ "type": "s3", "s3_endpoint_url": "http://127.0.0.1:9" }""", ["LlmCache:S3:BucketName (s3_bucket_name)", "required"] },
        { """{ "s3_region_name": "us-west-2" }""", ["LlmCache:S3:RegionName (s3_region_name) is set", "LlmCache:S3:BucketName (s3_bucket_name) is not"] },
        { """{ "type": "s3", "s3_bucket_name": "b", "s3_use_ssl": "sometimes" }""", ["LlmCache:S3:UseSsl (s3_use_ssl)", "true or false", "'sometimes'"] },
        { """{ "type": "s3", "s3_bucket_name": "b", "s3_api_version": "2010-01-01" }""", ["LlmCache:S3:ApiVersion (s3_api_version)", "2006-03-01"] },
        { """{ "type": "s3", "s3_bucket_name": "b", "s3_aws_access_key_id": "os.environ/LLMCACHE_TEST_VARIABLE_THAT_IS_NOT_SET" }""", ["LlmCache:s3_aws_access_key_id", "'LLMCACHE_TEST_VARIABLE_THAT_IS_NOT_SET' is not set"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_fails_at_start_up_with_one_message_naming_the_setting(string section, string[] expected)
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddLlmCache(ConfiguredServices.Section($$"""{ "LlmCache": {{section}} }"""))
            .AddS3()
            .Services.BuildServiceProvider();

        ConfiguredServices.AssertOneMessageSaying(ConfiguredServices.StartupFailure(provider), expected);
    }

    [Fact]
    public void S3_verify_takes_a_boolean_or_the_path_of_a_ca_bundle()
    {
        LlmCacheOptions off = Options("""{ "LlmCache": { "type": "s3", "s3_bucket_name": "b", "s3_verify": false, "s3_endpoint_url": "https://127.0.0.1:9" } }""");
        string missingBundle = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmcache-no-bundle-" + Guid.NewGuid().ToString("N") + ".pem");
        using ServiceProvider bundle = Provider($$"""{ "LlmCache": { "type": "s3", "s3_bucket_name": "b", "s3_verify": {{System.Text.Json.JsonSerializer.Serialize(missingBundle)}} } }""");

        Assert.True(off.Stores.ContainsKey(CacheType.S3));
        OptionsValidationException? failure = ConfiguredServices.StartupFailure(bundle);
        Assert.NotNull(failure);
        Assert.Contains("LlmCache:S3:CaBundlePath (s3_verify)", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(string json) =>
        new ServiceCollection().AddLlmCache(ConfiguredServices.Section(json)).AddS3().Services.BuildServiceProvider();

    private static LlmCacheOptions Options(string json)
    {
        using ServiceProvider provider = Provider(json);
        Assert.Null(ConfiguredServices.StartupFailure(provider));
        return provider.GetRequiredService<LlmCacheRuntime>().GetOptions();
    }
}
