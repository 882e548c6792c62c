using System;
using Microsoft.Extensions.Logging;

namespace LlmCache.S3;

internal static partial class S3CacheStoreLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "LlmCache store 's3' held an unreadable entry ({Length} bytes) at '{ObjectKey}' in bucket '{Bucket}'; it is deleted and the read is a miss.")]
    public static partial void CorruptEntry(ILogger logger, string bucket, string objectKey, int length);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "LlmCache store 's3' could not delete {What} at '{ObjectKey}' in bucket '{Bucket}'; the read is a miss all the same.")]
    public static partial void DeleteFailed(ILogger logger, string what, string bucket, string objectKey, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "LlmCache store 's3' retries deleting {Count} objects in bucket '{Bucket}' after a server error (attempt {Attempt}).")]
    public static partial void BatchDeleteRetried(ILogger logger, int count, string bucket, int attempt, Exception exception);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "LlmCache store 's3' left {What} at '{ObjectKey}' in bucket '{Bucket}': it was rewritten after the read.")]
    public static partial void DeleteSkipped(ILogger logger, string what, string bucket, string objectKey);
}
