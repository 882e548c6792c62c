using System;
using Microsoft.Extensions.Logging;

namespace LlmCache;

internal static partial class LlmCacheLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' failed to {Operation}; the call goes on without it.")]
    public static partial void StoreFailed(ILogger logger, string store, string operation, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "LlmCache store '{Store}' held an unreadable entry under {Key}; it was deleted and the call was treated as a miss.")]
    public static partial void CorruptEntry(ILogger logger, string store, string key, Exception? exception);
}
