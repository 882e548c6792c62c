using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// The meaning of every TTL value on the memory tier: past the calendar and <see cref="Timeout.InfiniteTimeSpan"/>
/// keep the entry without expiry, zero keeps nothing and leaves the stored entry, other negatives are rejected
/// before the model is called.
/// </summary>
public sealed class TtlTests
{
    private static readonly Message[] Conversation = { new("user", "Hello?") };
    private static readonly TimeSpan Millennium = TimeSpan.FromDays(365.25 * 1000);

    private readonly ManualTimeProvider _time = new();

    public static TheoryData<long> TtlsWithoutExpiry => new() { TimeSpan.MaxValue.Ticks, TimeSpan.FromDays(3_000_000).Ticks, Timeout.InfiniteTimeSpan.Ticks };

    [Theory]
    [MemberData(nameof(TtlsWithoutExpiry))]
    public async Task A_call_ttl_past_the_calendar_or_infinite_keeps_the_entry_without_expiry(long ttlTicks)
    {
        var service = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time }));

        string first = await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { Ttl = TimeSpan.FromTicks(ttlTicks) });
        _time.Advance(Millennium);
        string later = await service.AskAsync("m", Conversation, 0f, 1);

        Assert.Equal(first, later);
        Assert.Equal(1, service.Calls);
    }

    [Theory]
    [MemberData(nameof(TtlsWithoutExpiry))]
    public async Task A_default_ttl_past_the_calendar_or_infinite_keeps_the_entry_without_expiry(long ttlTicks)
    {
        var ttl = TimeSpan.FromTicks(ttlTicks);
        var runtimeDefault = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time, DefaultTtl = ttl }));
        var memoryDefault = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time, Memory = new() { DefaultTtl = ttl } }));

        await runtimeDefault.AskAsync("m", Conversation, 0f, 1);
        await memoryDefault.AskAsync("m", Conversation, 0f, 1);
        _time.Advance(Millennium);
        await runtimeDefault.AskAsync("m", Conversation, 0f, 1);
        await memoryDefault.AskAsync("m", Conversation, 0f, 1);

        Assert.Equal(1, runtimeDefault.Calls);
        Assert.Equal(1, memoryDefault.Calls);
    }

    [Fact]
    public async Task A_zero_call_ttl_returns_the_answer_keeps_nothing_and_leaves_the_stored_entry()
    {
        var service = new ChatService(new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time }));
        string kept = await service.AskAsync("m", Conversation, 0f, 1);

        string refreshed = await service.AskAsync("m", Conversation, 0f, 1, new CacheControl { NoCache = true, Ttl = TimeSpan.Zero });
        string once = await service.AskAsync("m", Conversation, 0f, 2, new CacheControl { Ttl = TimeSpan.Zero });

        Assert.NotEqual(kept, refreshed);
        Assert.Equal(kept, await service.AskAsync("m", Conversation, 0f, 1));
        Assert.NotEqual(once, await service.AskAsync("m", Conversation, 0f, 2));
        Assert.Equal(4, service.Calls);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(-TimeSpan.TicksPerSecond)]
    [InlineData(long.MinValue)]
    public void A_negative_call_ttl_other_than_infinite_is_rejected_where_the_control_is_made(long ttlTicks)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CacheControl { Ttl = TimeSpan.FromTicks(ttlTicks) });

        Assert.Contains("Timeout.InfiniteTimeSpan", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<LlmCacheOptions, TimeSpan>> DefaultTtlSettings => new()
    {
        { "LlmCache:DefaultTtl", (o, ttl) => o.DefaultTtl = ttl },
        { "LlmCache:Memory:DefaultTtl", (o, ttl) => o.Memory.DefaultTtl = ttl },
        { "LlmCache:Disk:DefaultTtl", (o, ttl) => o.Disk.DefaultTtl = ttl },
        { "defaultTtl", (o, ttl) => o.UseStore(CacheType.Custom, new MemoryCacheStore(), ttl) },
    };

    [Theory]
    [MemberData(nameof(DefaultTtlSettings))]
    public void Default_ttls_accept_zero_positive_and_infinite_and_reject_other_negatives(string setting, Action<LlmCacheOptions, TimeSpan> set)
    {
        foreach (TimeSpan accepted in new[] { TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.MaxValue, Timeout.InfiniteTimeSpan })
        {
            using var runtime = new LlmCacheRuntime();
            runtime.Update(o => set(o, accepted));
        }

        foreach (TimeSpan rejected in new[] { TimeSpan.FromSeconds(-1), TimeSpan.MinValue })
        {
            using var runtime = new LlmCacheRuntime();
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => runtime.Update(o => set(o, rejected)));
            Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        }
    }
}
