using System;
using Microsoft.Extensions.Logging;

namespace LlmCache;

internal static partial class LlmCacheLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' failed to {Operation}; the call goes on without it.")]
    public static partial void StoreFailed(ILogger logger, string store, string operation, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' held an unreadable entry under {Key}; it was deleted and the call was treated as a miss.")]
    public static partial void CorruptEntry(ILogger logger, string store, string key, Exception? exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "LlmCache store '{Store}' failed {Failures} times in a row, so its circuit breaker is open: calls skip the store and go to the implementation, and one call probes it again every {BreakSeconds} s.")]
    public static partial void BreakerOpened(ILogger logger, string store, int failures, double breakSeconds, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "LlmCache store '{Store}' answered a probe, so its circuit breaker is closed and calls use it again.")]
    public static partial void BreakerClosed(ILogger logger, string store);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "LlmCache store '{Store}' failed to {Operation}; the call goes on without it.")]
    public static partial void StoreOperationFailed(ILogger logger, string store, string operation, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' failed {Failures} operations between successes, too few in a row to open its circuit breaker (the latest a {Operation}); those calls went on without it. Such failures are reported at most once a minute.")]
    public static partial void StoreFailingIntermittently(ILogger logger, string store, int failures, string operation, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "LlmCache store '{Store}' could not reach its server {Failures} times in a row ({Reason}), so its circuit breaker is open: calls skip the store and go to the implementation, and one call probes it again every {BreakSeconds} s.")]
    public static partial void BreakerOpenedUnreachable(ILogger logger, string store, int failures, double breakSeconds, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "LlmCache store '{Store}' could not reach its server for {Failures} operations between successes (the latest a {Operation}: {Reason}); those calls went on without it. Such failures are reported at most once a minute.")]
    public static partial void StoreUnreachableIntermittently(ILogger logger, string store, int failures, string operation, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' failed to close; writes it still held may be lost.")]
    public static partial void StoreCloseFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "LlmCache bypassed the cache for {Method}: it caches into the store named '{Store}', and no store is registered under that name. Register it with LlmCacheOptions.UseStore(name, store) or the builder's AddStore(name, ...); until then its calls go to the implementation. Logged once per configuration.")]
    public static partial void UnknownStore(ILogger logger, string method, string store);

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "LlmCache's precision guard rejected a semantic match for {Method}: the prompts differ in {Reason} (similarity {Similarity}); the next match is tried.")]
    public static partial void SemanticGuardRejected(ILogger logger, string method, SemanticGuardRejection reason, float similarity);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "LlmCache's embedding generator failed; the call is cached by its exact key only.")]
    public static partial void EmbeddingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "LlmCache's vector index failed to {Operation} ({Subject}); the call goes on without it.")]
    public static partial void SemanticIndexFailed(ILogger logger, string operation, string subject, Exception exception);
}
