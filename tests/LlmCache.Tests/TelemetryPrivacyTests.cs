using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmCache.Tests;

/// <summary>
/// Logs, metrics and traces carry key digests and store names, never what was asked or answered: every log line
/// (at debug level, with its exception), every metric tag and every span tag and status of a hit, a miss, a store
/// failure and a corrupt entry is searched for fragments of the prompt, the tool and the response.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class TelemetryPrivacyTests : IDisposable
{
    private const string PromptWord = "Quetzalcoatlus";
    private const string ToolWord = "brachiosaurid";
    private const string AnswerWord = "Ornithocheirus";

    private readonly ConcurrentQueue<string> _seen = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly CapturingLoggerProvider _logs;
    private int _measurements;

    public TelemetryPrivacyTests()
    {
        _logs = new CapturingLoggerProvider(_seen);
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LlmCacheTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                _seen.Enqueue($"span {activity.OperationName} {activity.DisplayName} status {activity.Status} {activity.StatusDescription}");
                foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
                {
                    _seen.Enqueue($"span tag {tag.Key}={tag.Value}");
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LlmCacheTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>(Record);
        _meters.SetMeasurementEventCallback<double>(Record);
        _meters.Start();
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task A_hit_a_miss_a_store_failure_and_a_corrupt_entry_leave_no_prompt_tool_or_response_text_in_logs_metrics_or_traces()
    {
        var store = new ScriptedStore();
        var options = new LlmCacheOptions { LoggerFactory = _logs, DefaultType = CacheType.Custom }.UseStore(CacheType.Custom, store);
        await using var runtime = new LlmCacheRuntime(options);
        var service = new PrivateChatService(runtime);
        List<ChatMessage> messages = [new(ChatRole.User, $"Tell me about {PromptWord} in one line.")];
        var chatOptions = new ChatOptions { Tools = [AIFunctionFactory.CreateDeclaration("lookup", $"Looks up a {ToolWord}.", Schema())] };

        // A miss that stores, then a hit from the store (a second runtime, so memory does not answer).
        var outcomes = new List<CacheOutcome>();
        outcomes.Add(await Call(service, messages, chatOptions));
        await using (var second = new LlmCacheRuntime(new LlmCacheOptions { LoggerFactory = _logs, DefaultType = CacheType.Custom }.UseStore(CacheType.Custom, store)))
        {
            outcomes.Add(await Call(new PrivateChatService(second), messages, chatOptions));
        }

        // A corrupt entry: the stored JSON cut in half (it holds the answer's text), then a store that throws.
        store.Corrupt();
        outcomes.Add(await Call(service, messages, chatOptions, fresh: true));
        store.Fail = true;
        outcomes.Add(await Call(service, messages, chatOptions, fresh: true));

        Assert.Equal(
            new[] { CacheOutcomeStatus.Miss, CacheOutcomeStatus.Hit, CacheOutcomeStatus.Miss, CacheOutcomeStatus.Miss },
            outcomes.Select(o => o.Status));
        Assert.True(store.CorruptReads > 0 && store.FailedCalls > 0, $"the scenario did not reach the corrupt entry ({store.CorruptReads}) or the failure ({store.FailedCalls})");
        Assert.True(Volatile.Read(ref _measurements) > 0, "no metric was recorded");
        string everything = string.Join(Environment.NewLine, _seen);
        Assert.Contains("span llmcache.lookup", everything, StringComparison.Ordinal);
        Assert.Contains("held an unreadable entry", everything, StringComparison.Ordinal);
        Assert.Contains("Connection reset by peer", everything, StringComparison.Ordinal);
        Assert.Contains("metric llmcache.hits", everything, StringComparison.Ordinal);
        foreach (string word in new[] { PromptWord, ToolWord, AnswerWord, "Tell me about", "Looks up a" })
        {
            Assert.DoesNotContain(word, everything, StringComparison.OrdinalIgnoreCase);
        }

        // The digests the outcomes report are what the telemetry carries.
        Assert.Contains(outcomes[0].Key!, everything, StringComparison.Ordinal);
    }

    private static async Task<CacheOutcome> Call(PrivateChatService service, List<ChatMessage> messages, ChatOptions chatOptions, bool fresh = false)
    {
        var outcome = new CacheOutcome();
        if (fresh)
        {
            // Each of these calls must reach the store: a memory copy from an earlier call would answer first.
            service.Runtime.MemoryStore.Clear();
        }

        ChatResponse response = await service.AskAsync(messages, chatOptions, new CacheControl { Outcome = outcome });
        Assert.Contains(AnswerWord, response.Text, StringComparison.Ordinal);
        return outcome;
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        Interlocked.Increment(ref _measurements);
        var line = new StringBuilder($"metric {instrument.Name}={value}");
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            line.Append($" {tag.Key}={tag.Value}");
        }

        _seen.Enqueue(line.ToString());
    }

    private static System.Text.Json.JsonElement Schema() =>
        System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string","description":"the """ + ToolWord + """'s name"}}}""").RootElement;

    /// <summary>An in-process store the test can corrupt and break.</summary>
    private sealed class ScriptedStore : ICacheStore
    {
        private readonly ConcurrentDictionary<string, CacheEntry> _entries = new();

        public string Name => "scripted";

        public bool Fail { get; set; }

        public int CorruptReads { get; private set; }

        public int FailedCalls { get; private set; }

        public void Corrupt()
        {
            foreach ((string key, CacheEntry entry) in _entries)
            {
                _entries[key] = new CacheEntry(entry.Payload[..(entry.Payload.Length / 2)], entry.Kind, entry.CreatedAt, entry.ExpiresAt);
            }
        }

        public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            if (_entries.TryGetValue(Id(key), out CacheEntry? entry) && entry.Payload.Length > 0 && entry.Payload.Span[^1] != (byte)'}')
            {
                CorruptReads++;
            }

            return new ValueTask<CacheEntry?>(entry);
        }

        public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            _entries[Id(key)] = entry;
            return default;
        }

        public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            return new ValueTask<bool>(_entries.TryRemove(Id(key), out _));
        }

        public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            _entries.Clear();
            return default;
        }

        private static string Id(CacheStoreKey key) => key.ToString();

        private void ThrowIfFailing()
        {
            if (Fail)
            {
                FailedCalls++;

                // The runtime logs a store's exception as it is (operators need "connection refused"); a store is
                // given digests and payloads only, and LlmCache's own stores never quote a payload in a message.
                throw new System.IO.IOException("Connection reset by peer.");
            }
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> seen) : ILoggerFactory, ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            seen.Enqueue($"log {logLevel} {eventId} {formatter(state, exception)} {exception}");

        public void Dispose()
        {
        }
    }
}

/// <summary>A Microsoft.Extensions.AI chat call whose answer repeats a word the privacy test looks for.</summary>
public sealed partial class PrivateChatService(LlmCacheRuntime cache)
{
    public LlmCacheRuntime Runtime => cache;

    [LlmCached]
    public partial ValueTask<ChatResponse> AskAsync(IList<ChatMessage> messages, ChatOptions? options, CacheControl control = default, CancellationToken cancellationToken = default);

    private ValueTask<ChatResponse> AskAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        new(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"The Ornithocheirus was a pterosaur with a long crested beak, much like the one asked about.")));
}
