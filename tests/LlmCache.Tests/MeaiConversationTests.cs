using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// A request that names a provider-held conversation (<see cref="ChatOptions.ConversationId"/>) continues a history the
/// key cannot see: it skips the cache unless the method opts in.
/// </summary>
public sealed class MeaiConversationTests
{
    [Fact]
    public async Task A_conversation_id_bypasses_the_cache_and_says_why()
    {
        var log = new ListLogger();
        var service = new ConversationService(new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = log }));
        var options = new ChatOptions { ConversationId = "conv_secret_123" };

        var first = new CacheOutcome();
        var second = new CacheOutcome();
        await service.AskAsync("next?", options, new CacheControl { Outcome = first });
        await service.AskAsync("next?", options, new CacheControl { Outcome = second });

        Assert.Equal(2, service.Calls);
        Assert.Equal(CacheOutcomeStatus.Bypassed, first.Status);
        Assert.Equal(CacheOutcomeStatus.Bypassed, second.Status);
        Assert.Equal(0, service.Runtime.MemoryStore.Count);
        var entries = log.Entries.Where(e => e.Id.Id == 21).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains("AskAsync", entries[0].Message, System.StringComparison.Ordinal);
        Assert.Contains("ConversationId", entries[0].Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain("conv_secret_123", entries[0].Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_without_a_conversation_are_cached()
    {
        var service = new ConversationService(new LlmCacheRuntime());
        var hit = new CacheOutcome();

        await service.AskAsync("next?", new ChatOptions { ModelId = "m" });
        await service.AskAsync("next?", new ChatOptions { ModelId = "m" }, new CacheControl { Outcome = hit });
        await service.AskAsync("next?", null);
        await service.AskAsync("next?", null);

        Assert.Equal(CacheOutcomeStatus.Hit, hit.Status);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task A_method_that_opts_in_caches_each_conversation_under_its_id()
    {
        var service = new ConversationService(new LlmCacheRuntime());
        var hit = new CacheOutcome();
        var other = new CacheOutcome();

        await service.AskInConversationAsync("next?", new ChatOptions { ConversationId = "conv_1" });
        await service.AskInConversationAsync("next?", new ChatOptions { ConversationId = "conv_1" }, new CacheControl { Outcome = hit });
        await service.AskInConversationAsync("next?", new ChatOptions { ConversationId = "conv_2" }, new CacheControl { Outcome = other });

        Assert.Equal(CacheOutcomeStatus.Hit, hit.Status);
        Assert.Equal(CacheOutcomeStatus.Miss, other.Status);
        Assert.Equal(2, service.Calls);
    }
}

public sealed partial class ConversationService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public LlmCacheRuntime Runtime => cache;

    [LlmCached]
    public partial ValueTask<string> AskAsync(string prompt, ChatOptions? options, CacheControl control = default);

    [LlmCached(CacheConversations = true)]
    public partial ValueTask<string> AskInConversationAsync(string prompt, ChatOptions? options, CacheControl control = default);

    private ValueTask<string> AskAsyncCore(string prompt, ChatOptions? options) => new($"answer #{Interlocked.Increment(ref _calls)}");

    private ValueTask<string> AskInConversationAsyncCore(string prompt, ChatOptions? options) => new($"answer #{Interlocked.Increment(ref _calls)}");
}
