using System;
using Microsoft.Extensions.Logging;

namespace LlmCache.AzureBlob;

internal static partial class AzureBlobCacheStoreLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "LlmCache store 'azure-blob' held an unreadable entry ({Length} bytes) at '{BlobName}' in container '{Container}'; it is deleted and the read is a miss.")]
    public static partial void CorruptEntry(ILogger logger, string container, string blobName, int length);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "LlmCache store 'azure-blob' could not delete {What} at '{BlobName}' in container '{Container}'; the read is a miss all the same.")]
    public static partial void DeleteFailed(ILogger logger, string what, string container, string blobName, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "LlmCache store 'azure-blob' left {What} at '{BlobName}' in container '{Container}': it was rewritten after the read.")]
    public static partial void DeleteSkipped(ILogger logger, string what, string container, string blobName);
}
