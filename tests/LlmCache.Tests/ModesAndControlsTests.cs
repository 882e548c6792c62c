using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// LiteLLM's modes and controls: <c>supported_call_types</c> (<see cref="LlmCacheOptions.SupportedCallKinds"/>),
/// <c>mode: default_off</c> with the per-call <c>use-cache</c> (<see cref="CacheMode.DefaultOff"/>,
/// <see cref="CacheControl.UseCache"/>), and a TTL of 0 per call, per method and as the default: the answer is
/// returned and not kept.
/// </summary>
public sealed class ModesAndControlsTests
{
    private static readonly Message[] Conversation = { new("user", "Hello?") };

    [Fact]
    public async Task A_method_of_a_switched_off_kind_is_not_cached_and_one_of_a_supported_kind_is()
    {
        var embeddingsOnly = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { SupportedCallKinds = new HashSet<CallKind> { CallKind.Embedding } }));
        var chatToo = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { SupportedCallKinds = new HashSet<CallKind> { CallKind.Embedding, CallKind.Chat } }));

        var outcome = new CacheOutcome();
        string first = await embeddingsOnly.AskAsync("m", Conversation, 0f, 1);
        string second = await embeddingsOnly.AskAsync("m", Conversation, 0f, 1, new CacheControl { Outcome = outcome });
        await chatToo.AskAsync("m", Conversation, 0f, 1);
        await chatToo.AskAsync("m", Conversation, 0f, 1);

        Assert.NotEqual(first, second);
        Assert.Equal(2, embeddingsOnly.Calls);
        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Equal(1, chatToo.Calls);
    }

    [Theory]
    [InlineData(CallKind.Chat)]
    [InlineData(CallKind.StreamingChat)]
    [InlineData(CallKind.Embedding)]
    [InlineData(CallKind.SpeechToText)]
    public void Each_kind_is_cached_only_while_it_is_supported(CallKind kind)
    {
        var method = new CachedMethod<string>("T.M()->string#v0", CacheType.Memory, 0, null, null) { Kind = kind };
        var others = new HashSet<CallKind>(Enum.GetValues<CallKind>());
        others.Remove(kind);
        using var runtime = new LlmCacheRuntime();

        Assert.True(runtime.ShouldCache(method, default));
        runtime.Update(o => o.SupportedCallKinds = others);
        Assert.False(runtime.ShouldCache(method, default));
        runtime.Update(o => o.SupportedCallKinds = null);
        Assert.True(runtime.ShouldCache(method, default));
    }

    [Fact]
    public async Task Default_off_caches_only_the_calls_that_ask_with_use_cache()
    {
        var service = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { Mode = CacheMode.DefaultOff }));

        string plain1 = await service.AskAsync("m", Conversation, 0f, 1);
        string plain2 = await service.AskAsync("m", Conversation, 0f, 1);
        string asked1 = await service.AskAsync("m", Conversation, 0f, 2, new CacheControl { UseCache = true });
        var outcome = new CacheOutcome();
        string asked2 = await service.AskAsync("m", Conversation, 0f, 2, new CacheControl { UseCache = true, Outcome = outcome });
        string plainAfter = await service.AskAsync("m", Conversation, 0f, 2);

        Assert.NotEqual(plain1, plain2);
        Assert.Equal(asked1, asked2);
        Assert.Equal(CacheOutcomeStatus.Hit, outcome.Status);
        Assert.NotEqual(asked1, plainAfter);
        Assert.Equal(4, service.Calls);
    }

    [Fact]
    public async Task Default_on_ignores_use_cache_and_caches_every_call()
    {
        var service = new ChatService(new LlmCacheRuntime());

        string first = await service.AskAsync("m", Conversation, 0f, 1);
        string second = await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { UseCache = true });

        Assert.Equal(first, second);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public void Use_cache_takes_part_in_the_controls_equality()
    {
        Assert.NotEqual(new CacheControl { UseCache = true }, default);
        Assert.Equal(new CacheControl { UseCache = true }, new CacheControl { UseCache = true });
    }

    public static TheoryData<string> ZeroDefaults => new() { "runtime", "memory" };

    [Theory]
    [MemberData(nameof(ZeroDefaults))]
    public async Task A_zero_default_ttl_returns_the_answer_and_keeps_nothing(string where)
    {
        var options = new LlmCacheOptions();
        if (where == "runtime")
        {
            options.DefaultTtl = TimeSpan.Zero;
        }
        else
        {
            options.Memory.DefaultTtl = TimeSpan.Zero;
        }

        var service = new ChatService(new LlmCacheRuntime(options));

        string first = await service.AskAsync("m", Conversation, 0f, 1);
        string second = await service.AskAsync("m", Conversation, 0f, 1);
        string kept = await service.AskAsync("m", Conversation, 0f, 2, new CacheControl { Ttl = TimeSpan.FromMinutes(1) });
        string keptAgain = await service.AskAsync("m", Conversation, 0f, 2);

        Assert.NotEqual(first, second);
        Assert.Equal(kept, keptAgain);
        Assert.Equal(3, service.Calls);
    }

    [Fact]
    public async Task A_zero_method_ttl_returns_the_answer_and_keeps_nothing_unless_the_call_says_otherwise()
    {
        var service = new ZeroTtlService(new LlmCacheRuntime(new LlmCacheOptions { DefaultTtl = TimeSpan.FromHours(1) }));

        string first = await service.AskAsync("q");
        string second = await service.AskAsync("q");
        string kept = await service.AskAsync("p", new CacheControl { Ttl = TimeSpan.FromMinutes(1) });
        string keptAgain = await service.AskAsync("p");

        Assert.NotEqual(first, second);
        Assert.Equal(kept, keptAgain);
        Assert.Equal(3, service.Calls);
    }
}

/// <summary>A method whose attribute says <c>Ttl = 0</c>: its answers are not kept.</summary>
public sealed partial class ZeroTtlService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached(Ttl = 0)]
    public partial ValueTask<string> AskAsync(string prompt, CacheControl control = default);

    private ValueTask<string> AskAsyncCore(string prompt) => new($"{prompt}#{Interlocked.Increment(ref _calls)}");
}
