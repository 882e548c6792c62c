using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary>The master key, tenants' keys with their own namespaces, and the cache endpoints behind the master key.</summary>
public sealed class AccessControlTests
{
    private const string MasterKey = "sk-master-1234";

    private const string Config = """
        litellm_settings:
          cache: True
          cache_params:
            type: local
        general_settings:
          master_key: os.environ/PROXY_MASTER_KEY
          tenant_keys:
            - key: sk-tenant-a
              namespace: tenant-a
            - key: sk-tenant-b
              namespace: tenant-b
        """;

    private static readonly Dictionary<string, string> Environment = new() { ["PROXY_MASTER_KEY"] = MasterKey };

    [Fact]
    public async Task WithAMasterKey_ARequestWithoutAKeyOrWithAWrongOne_Gets401_AndTheKeyIsNotEchoed()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);

        using HttpResponseMessage none = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        using HttpResponseMessage wrong = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-master-1235");
        using HttpResponseMessage prefix = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-master");
        using HttpResponseMessage ping = await proxy.Client.GetAsync("cache/ping");
        using HttpResponseMessage health = await proxy.Client.GetAsync("health");
        using HttpResponseMessage right = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: MasterKey);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefix.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        string body = await wrong.Content.ReadAsStringAsync();
        Assert.Equal("auth_error", (string?)JsonNode.Parse(body)!["error"]!["type"]);
        Assert.DoesNotContain("sk-master", body);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(1, upstream.ChatCalls);
    }

    [Fact]
    public async Task TheMasterKey_IsNeverForwardedUpstream()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);

        using HttpResponseMessage response = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: MasterKey);

        Assert.Null(upstream.LastAuthorization);
    }

    [Fact]
    public async Task TwoTenants_SendingTheSameRequest_ReachTheUpstreamTwice_AndEachHitsItsOwnEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);

        using HttpResponseMessage a = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");
        using HttpResponseMessage b = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-b");
        using HttpResponseMessage aAgain = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");
        using HttpResponseMessage bAgain = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-b");
        using HttpResponseMessage master = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: MasterKey);

        Assert.Equal("miss", a.CacheStatus());
        Assert.Equal("miss", b.CacheStatus());
        Assert.Equal("hit", aAgain.CacheStatus());
        Assert.Equal("hit", bAgain.CacheStatus());
        Assert.Equal("miss", master.CacheStatus());
        Assert.Equal(3, upstream.ChatCalls);
        Assert.Equal(await a.Content.ReadAsStringAsync(), await aAgain.Content.ReadAsStringAsync());
        Assert.NotEqual(await a.Content.ReadAsStringAsync(), await bAgain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ATenantsOwnNamespace_StaysInsideTheTenant()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);
        string named = ChatCompletionsTests.ReferenceChat.Replace("\"temperature\"", "\"cache\": {\"namespace\": \"shared\"}, \"temperature\"");

        using HttpResponseMessage a = await proxy.PostAsync("v1/chat/completions", named, bearer: "sk-tenant-a");
        using HttpResponseMessage b = await proxy.PostAsync("v1/chat/completions", named, bearer: "sk-tenant-b");

        Assert.Equal("miss", b.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
    }

    [Fact]
    public async Task CacheDelete_WithTheMasterKey_RemovesTheEntryNamedByTheHitsKey()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: MasterKey);
        using HttpResponseMessage hit = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: MasterKey);
        string key = hit.CacheKey()!;

        using HttpResponseMessage byTenant = await proxy.PostAsync("cache/delete", $"{{\"keys\": [\"{key}\"]}}", bearer: "sk-tenant-a");
        using HttpResponseMessage deleted = await proxy.PostAsync("cache/delete", $"{{\"keys\": [\"{key}\"]}}", bearer: MasterKey);
        using HttpResponseMessage after = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: MasterKey);
        using HttpResponseMessage badKey = await proxy.PostAsync("cache/delete", """{"keys": ["not-a-key"]}""", bearer: MasterKey);

        Assert.Equal(HttpStatusCode.Forbidden, byTenant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1, (int?)JsonNode.Parse(await deleted.Content.ReadAsStringAsync())!["deleted"]);
        Assert.Equal("miss", after.CacheStatus());
        Assert.Equal(2, upstream.ChatCalls);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
    }

    [Fact]
    public async Task CacheDelete_InATenantsNamespace_RemovesThatTenantsEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);
        using HttpResponseMessage first = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");
        using HttpResponseMessage hit = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");

        using HttpResponseMessage deleted = await proxy.PostAsync("cache/delete", $"{{\"keys\": [\"{hit.CacheKey()}\"], \"namespace\": \"tenant-a\"}}", bearer: MasterKey);
        using HttpResponseMessage after = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");

        Assert.Equal(1, (int?)JsonNode.Parse(await deleted.Content.ReadAsStringAsync())!["deleted"]);
        Assert.Equal("miss", after.CacheStatus());
    }

    [Fact]
    public async Task CacheFlushAll_WithTheMasterKey_RemovesEveryEntry()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, Config, Environment);
        using HttpResponseMessage a = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");
        using HttpResponseMessage embedding = await proxy.PostAsync("v1/embeddings", EmbeddingsTests.ReferenceEmbeddings, bearer: MasterKey);

        using HttpResponseMessage byTenant = await proxy.PostAsync("cache/flushall", "", bearer: "sk-tenant-a");
        using HttpResponseMessage flushed = await proxy.PostAsync("cache/flushall", "", bearer: MasterKey);
        using HttpResponseMessage aAfter = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat, bearer: "sk-tenant-a");
        using HttpResponseMessage embeddingAfter = await proxy.PostAsync("v1/embeddings", EmbeddingsTests.ReferenceEmbeddings, bearer: MasterKey);

        Assert.Equal(HttpStatusCode.Forbidden, byTenant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, flushed.StatusCode);
        Assert.Equal("miss", aAfter.CacheStatus());
        Assert.Equal("miss", embeddingAfter.CacheStatus());
    }

    [Fact]
    public async Task WithoutAMasterKey_TheCacheEndpointsAreRefused()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream);

        using HttpResponseMessage flush = await proxy.PostAsync("cache/flushall", "");

        Assert.Equal(HttpStatusCode.Forbidden, flush.StatusCode);
    }

    [Fact]
    public async Task LitellmMasterKey_FromTheEnvironment_IsTheMasterKey()
    {
        await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
        await using TestProxy proxy = await TestProxy.StartAsync(upstream, environment: new Dictionary<string, string> { ["LITELLM_MASTER_KEY"] = MasterKey });

        using HttpResponseMessage none = await proxy.PostAsync("v1/chat/completions", ChatCompletionsTests.ReferenceChat);
        using HttpResponseMessage flush = await proxy.PostAsync("cache/flushall", "", bearer: MasterKey);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, flush.StatusCode);
    }
}
