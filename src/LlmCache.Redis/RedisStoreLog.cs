using System;
using Microsoft.Extensions.Logging;

namespace LlmCache.Redis;

internal static partial class RedisStoreLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "LlmCache store '{Store}': Redis at {EndPoint} refused the password or user name (AuthenticationFailure); check them. Calls go to the model until the store can log in. This is logged once per outage.")]
    public static partial void CredentialsRefused(ILogger logger, string store, string endPoint, Exception? exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "LlmCache store '{Store}' is connected to Redis at {EndPoint} again.")]
    public static partial void ConnectionRestored(ILogger logger, string store, string endPoint);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "LlmCache store '{Store}' cannot reach Redis at {EndPoint} ({Failure}); calls go to the model until it is back. This is logged once per outage.")]
    public static partial void Unreachable(ILogger logger, string store, string endPoint, string failure);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "LlmCache store '{Store}' is connected to Redis at {EndPoint}.")]
    public static partial void Connected(ILogger logger, string store, string endPoint);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' could not write {Count} buffered entries; they were dropped.")]
    public static partial void FlushFailed(ILogger logger, string store, int count, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "LlmCache semantic index over store '{Store}' cannot read Redis ({Failure}); it retries with backoff, and searches fail once its view is older than {MaxStalenessMs} ms. This is logged once per outage.")]
    public static partial void SemanticSyncLost(ILogger logger, string store, string failure, double maxStalenessMs, Exception exception);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "LlmCache semantic index over store '{Store}' reads Redis again.")]
    public static partial void SemanticSyncRestored(ILogger logger, string store);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "LlmCache semantic index over store '{Store}' loaded {Count} records from Redis ({Reason}).")]
    public static partial void SemanticReloaded(ILogger logger, string store, int count, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "LlmCache semantic index over store '{Store}' skipped the unreadable record {Key}.")]
    public static partial void SemanticUnreadableRecord(ILogger logger, string store, string key);
}
