using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>Runs generated cached methods: what calls the implementation and what doesn't.</summary>
public sealed class CachedMethodTests
{
    private static readonly Message[] Conversation =
    {
        new("system", "You are terse."),
        new("user", "Tell me a joke."),
        new("assistant", "No."),
    };

    private readonly ManualTimeProvider _time = new();
    private readonly LlmCacheRuntime _runtime;
    private readonly ChatService _service;

    public CachedMethodTests()
    {
        _runtime = new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time });
        _service = new ChatService(_runtime);
    }

    [Fact]
    public async Task Same_arguments_call_the_implementation_once()
    {
        string first = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        string second = await _service.AskAsync("gpt-4o", new List<Message>(Conversation), 0.2f, 100);

        Assert.Equal(first, second);
        Assert.Equal(1, _service.Calls);
    }

    public static TheoryData<string, Func<ChatService, ValueTask<string>>> SingleInputChanges => new()
    {
        { "model", s => s.AskAsync("gpt-4o-mini", Conversation, 0.2f, 100) },
        { "message text", s => s.AskAsync("gpt-4o", new[] { Conversation[0], Conversation[1], new Message("assistant", "No!") }, 0.2f, 100) },
        { "message role", s => s.AskAsync("gpt-4o", new[] { Conversation[0], Conversation[1], new Message("user", "No.") }, 0.2f, 100) },
        { "message count", s => s.AskAsync("gpt-4o", new[] { Conversation[0], Conversation[1] }, 0.2f, 100) },
        { "temperature", s => s.AskAsync("gpt-4o", Conversation, 0.3f, 100) },
        { "max tokens", s => s.AskAsync("gpt-4o", Conversation, 0.2f, 101) },
    };

    [Theory]
    [MemberData(nameof(SingleInputChanges))]
    public async Task Changing_any_single_key_input_calls_the_implementation_again(string input, Func<ChatService, ValueTask<string>> changed)
    {
        string original = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        string other = await changed(_service);

        Assert.True(_service.Calls == 2, $"changing the {input} should have missed");
        Assert.NotEqual(original, other);
        Assert.Equal(original, await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100));
        Assert.Equal(2, _service.Calls);
    }

    [Fact]
    public async Task Cancellation_token_and_cache_control_are_not_key_inputs()
    {
        using var source = new CancellationTokenSource();
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Ttl = TimeSpan.FromHours(1), SMaxAge = TimeSpan.FromHours(1) }, source.Token);

        Assert.Equal(1, _service.Calls);
    }

    [Fact]
    public void NotCacheKey_parameters_are_not_key_inputs()
    {
        Guid id = Guid.NewGuid();
        DateTimeOffset at = DateTimeOffset.UnixEpoch;
        string first = _service.Describe(id, at, Mood.Calm, 7, "key-one");
        string second = _service.Describe(id, at, Mood.Calm, 7, "key-two");

        Assert.Equal(first, second);
        Assert.Equal(1, _service.Calls);

        _service.Describe(id, at, Mood.Curious, 7, "key-one");
        _service.Describe(id, at, Mood.Calm, null, "key-one");
        _service.Describe(id, at.AddTicks(1), Mood.Calm, 7, "key-one");
        Assert.Equal(4, _service.Calls);
    }

    [Fact]
    public async Task NoCache_calls_the_implementation_and_stores_its_result()
    {
        string first = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        string fresh = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, CacheControl.Refresh);
        string after = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);

        Assert.NotEqual(first, fresh);
        Assert.Equal(fresh, after);
        Assert.Equal(2, _service.Calls);
    }

    [Fact]
    public async Task NoStore_calls_the_implementation_and_keeps_nothing()
    {
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { NoStore = true });
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);

        Assert.Equal(2, _service.Calls);
        Assert.Equal(1, _runtime.MemoryStore.Count);
    }

    [Fact]
    public async Task Bypass_neither_reads_nor_writes()
    {
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        var outcome = new CacheOutcome();
        string bypassed = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, CacheControl.Bypass with { Outcome = outcome });
        string cached = await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);

        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Equal(2, _service.Calls);
        Assert.NotEqual(bypassed, cached);
        Assert.Equal(1, _runtime.MemoryStore.Count);
    }

    [Fact]
    public async Task A_disabled_runtime_calls_the_implementation_every_time_until_enabled()
    {
        _runtime.Disable();
        var outcome = new CacheOutcome();
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Outcome = outcome });
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        Assert.Equal(2, _service.Calls);
        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.Equal(0, _runtime.MemoryStore.Count);

        _runtime.Enable();
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        Assert.Equal(3, _service.Calls);
    }

    [Fact]
    public async Task Entries_expire_after_the_call_ttl_and_smaxage_refuses_old_entries()
    {
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Ttl = TimeSpan.FromSeconds(10) });
        _time.Advance(TimeSpan.FromSeconds(5));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        Assert.Equal(1, _service.Calls);

        // The refused entry is replaced by a fresh one that lives 10 s from now.
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { SMaxAge = TimeSpan.FromSeconds(4), Ttl = TimeSpan.FromSeconds(10) });
        Assert.Equal(2, _service.Calls);
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { SMaxAge = TimeSpan.FromSeconds(4) });
        Assert.Equal(2, _service.Calls);

        _time.Advance(TimeSpan.FromSeconds(11));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        Assert.Equal(3, _service.Calls);
    }

    [Fact]
    public async Task The_memory_default_ttl_applies_when_the_call_and_method_give_none()
    {
        _runtime.Update(o => o.Memory.DefaultTtl = TimeSpan.FromMinutes(1));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        _time.Advance(TimeSpan.FromSeconds(59));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        _time.Advance(TimeSpan.FromSeconds(2));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);

        Assert.Equal(2, _service.Calls);
    }

    [Fact]
    public async Task Namespaces_keep_entries_apart()
    {
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Namespace = "tenant-a" });
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Namespace = "tenant-b" });
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Namespace = "tenant-a" });

        Assert.Equal(2, _service.Calls);
    }

    [Fact]
    public async Task The_outcome_reports_miss_then_hit_with_the_tier()
    {
        var miss = new CacheOutcome();
        var hit = new CacheOutcome();
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Outcome = miss });
        _time.Advance(TimeSpan.FromSeconds(3));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100, new CacheControl { Outcome = hit });

        Assert.Equal(CacheOutcomeStatus.Miss, miss.Status);
        Assert.Null(miss.Tier);
        Assert.True(hit.IsHit);
        Assert.Equal("memory", hit.Tier);
        Assert.Equal(TimeSpan.FromSeconds(3), hit.Age);
        Assert.Equal(miss.Key, hit.Key);
        Assert.Equal(32, hit.Key!.Length);
    }

    [Fact]
    public async Task Streams_are_keyed_by_content_and_rewound()
    {
        using var first = new MemoryStream(new byte[] { 1, 2, 3, 4 });
        using var same = new MemoryStream(new byte[] { 1, 2, 3, 4 });
        using var other = new MemoryStream(new byte[] { 1, 2, 3, 5 });

        byte[] transcript = await _service.TranscribeAsync(first, "en");
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, transcript);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, await _service.TranscribeAsync(same, "en"));
        Assert.Equal(0, same.Position);
        Assert.Equal(1, _service.Calls);

        Assert.Equal(new byte[] { 1, 2, 3, 5 }, await _service.TranscribeAsync(other, "en"));
        Assert.Equal(2, _service.Calls);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_a_clear_error_naming_the_parameter()
    {
        using var pipe = new NonSeekableStream(new byte[] { 1, 2, 3 });

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _service.TranscribeAsync(pipe, "en"));

        Assert.Equal("audio", error.ParamName);
        Assert.Contains("seekable", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _service.Calls);
    }

    [Fact]
    public async Task Update_replaces_the_configuration_and_keeps_memory_entries()
    {
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);
        _runtime.Update(o => o.DefaultTtl = TimeSpan.FromHours(1));
        await _service.AskAsync("gpt-4o", Conversation, 0.2f, 100);

        Assert.Equal(1, _service.Calls);
        Assert.Equal(TimeSpan.FromHours(1), _runtime.GetOptions().DefaultTtl);
        Assert.Throws<ArgumentOutOfRangeException>(() => _runtime.Update(o => o.Memory.MaxEntries = 0));
        Assert.Equal(10_000, _runtime.GetOptions().Memory.MaxEntries);
    }

    [Fact]
    public async Task Static_methods_without_a_runtime_member_use_the_shared_runtime()
    {
        string text = "hi " + Guid.NewGuid();
        int before = StaticDefaults.Calls;
        string first = await StaticDefaults.EchoAsync(text);
        string second = await StaticDefaults.EchoAsync(text);

        Assert.Equal(first, second);
        Assert.Equal(before + 1, StaticDefaults.Calls);
        Assert.True(LlmCacheRuntime.Shared.MemoryStore.Count > 0);
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
