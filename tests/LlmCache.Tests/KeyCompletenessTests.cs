using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace LlmCache.Tests;

/// <summary>
/// Keys that must not drop data: a collection type is keyed by its elements whatever it derives from, and an
/// instance of a type derived from the declared one is not keyed by the declared type's members.
/// </summary>
public sealed class KeyCompletenessTests
{
    private readonly LlmCacheRuntime _runtime = new();

    [Fact]
    public void A_class_derived_from_List_is_keyed_by_its_elements()
    {
        var service = new CompletenessService(_runtime);

        string first = service.Tags(new TagList("urgent", "billing"));
        string second = service.Tags(new TagList("spam", "sales"));
        string again = service.Tags(new TagList("urgent", "billing"));

        Assert.Equal("spam,sales#2", second);
        Assert.Equal(first, again);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void A_class_derived_from_Dictionary_is_keyed_by_its_entries_in_any_order()
    {
        var service = new CompletenessService(_runtime);

        service.Weights(new WeightTable { ["a"] = 1, ["b"] = 2 });
        service.Weights(new WeightTable { ["a"] = 2, ["b"] = 1 });
        Assert.Equal(2, service.Calls);

        service.Weights(new WeightTable { ["b"] = 2, ["a"] = 1 });
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void A_user_type_implementing_IReadOnlyList_is_keyed_by_its_elements()
    {
        var service = new CompletenessService(_runtime);

        service.Words(new WordList("a", "b"));
        string other = service.Words(new WordList("b", "a"));
        service.Words(new WordList("a", "b"));

        Assert.Equal("b,a#2", other);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void ICacheKeyWritable_wins_over_being_a_collection()
    {
        var service = new CompletenessService(_runtime);

        service.Labels(new CaseInsensitiveTags { "Urgent", "billing" });
        service.Labels(new CaseInsensitiveTags { "URGENT", "Billing" });
        service.Labels(new CaseInsensitiveTags { "urgent", "sales" });

        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public void A_derived_instance_of_a_non_sealed_parameter_bypasses_the_cache()
    {
        var service = new CompletenessService(_runtime);
        var outcome = new CacheOutcome();

        string formal = service.Ask(new StyledPrompt("hello", "formal"), new CacheControl { Outcome = outcome });
        string pirate = service.Ask(new StyledPrompt("hello", "pirate"));

        Assert.Equal(CacheOutcomeStatus.Bypassed, outcome.Status);
        Assert.NotEqual(formal, pirate);
        Assert.Equal(2, service.Calls);
        Assert.Equal(0, _runtime.MemoryStore.Count);
    }

    [Fact]
    public void A_bypass_for_a_derived_instance_logs_the_method_and_both_types_but_no_value()
    {
        var log = new ListLogger();
        using var runtime = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = log });
        var service = new CompletenessService(runtime);

        service.Ask(new StyledPrompt("secret prompt", "secret style"));

        (LogLevel level, EventId id, string message) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(20, id.Id);
        Assert.Contains(CompletenessService.__LlmCache_Ask.Method.Identity, message, StringComparison.Ordinal);
        Assert.Contains("'LlmCache.Tests.Prompt'", message, StringComparison.Ordinal);
        Assert.Contains("'LlmCache.Tests.StyledPrompt'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_instance_of_exactly_the_declared_type_is_cached()
    {
        var service = new CompletenessService(_runtime);
        var outcome = new CacheOutcome();

        service.Ask(new Prompt("hello"));
        service.Ask(new Prompt("hello"), new CacheControl { Outcome = outcome });

        Assert.True(outcome.IsHit);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public void The_run_time_type_check_on_a_memory_hit_allocates_nothing()
    {
        var service = new CompletenessService(_runtime);
        var prompts = new List<Prompt> { new("a"), new("b") };
        var request = new PromptRequest("m", new Prompt("c"));
        long allocated = AllocationProbe.Measure(() => (service.AskAll(prompts), service.Send(request)), out _);
        Assert.Equal(2, service.Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_derived_element_or_member_bypasses_the_cache()
    {
        var service = new CompletenessService(_runtime);
        var element = new CacheOutcome();
        var member = new CacheOutcome();

        service.AskAll(new List<Prompt> { new("a"), new StyledPrompt("b", "formal") }, new CacheControl { Outcome = element });
        service.AskAll(new List<Prompt> { new("a"), new StyledPrompt("b", "pirate") });
        service.Send(new PromptRequest("m", new StyledPrompt("b", "formal")), new CacheControl { Outcome = member });
        service.Send(new PromptRequest("m", new StyledPrompt("b", "pirate")));

        Assert.Equal(CacheOutcomeStatus.Bypassed, element.Status);
        Assert.Equal(CacheOutcomeStatus.Bypassed, member.Status);
        Assert.Equal(4, service.Calls);

        service.Send(new PromptRequest("m", new Prompt("b")));
        service.Send(new PromptRequest("m", new Prompt("b")));
        Assert.Equal(5, service.Calls);
    }
}

/// <summary>Collects log entries.</summary>
internal sealed class ListLogger : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public void Dispose()
    {
    }
}
