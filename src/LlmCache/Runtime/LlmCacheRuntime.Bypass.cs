using System;
using System.ComponentModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmCache;

public sealed partial class LlmCacheRuntime
{
    /// <summary>
    /// Generated code: a key input is an instance of a type derived from the class its key form was made for, so
    /// the key would miss the derived type's data. The call skips the cache (and reports
    /// <see cref="CacheOutcomeStatus.Bypassed"/>); the log names the method and both types, never a value.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void BypassUnkeyedType<T>(CachedMethod<T> method, in CacheControl control, Type declared, Type actual)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(actual);
        LlmCacheLog.UnkeyedTypeBypassed(_state.Logger, method.Identity, declared.ToString(), actual.ToString());
        if (control.Outcome is { } outcome)
        {
            outcome.Reset();
            outcome.Status = CacheOutcomeStatus.Bypassed;
        }
    }

    /// <summary>
    /// Generated code: whether a call skips the cache because <paramref name="options"/> names a conversation the
    /// provider holds (<see cref="ChatOptions.ConversationId"/>), whose history the key cannot see; unless the method
    /// says <see cref="LlmCachedAttribute.CacheConversations"/>. A skipped call reports
    /// <see cref="CacheOutcomeStatus.Bypassed"/>; the log names the method, never the id.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool BypassesConversation<T>(CachedMethod<T> method, in CacheControl control, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (options?.ConversationId is null)
        {
            return false;
        }

        LlmCacheLog.ConversationBypassed(_state.Logger, method.Identity);
        if (control.Outcome is { } outcome)
        {
            outcome.Reset();
            outcome.Status = CacheOutcomeStatus.Bypassed;
        }

        return true;
    }
}

internal static partial class LlmCacheLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "LlmCache bypassed the cache for {Method}: a key input of type '{Declared}' was an instance of '{Actual}', whose data its key would miss. Pass an instance of the declared type, seal the type, or implement ICacheKeyWritable on it.")]
    public static partial void UnkeyedTypeBypassed(ILogger logger, string method, string declared, string actual);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "LlmCache bypassed the cache for {Method}: its ChatOptions name a ConversationId, a history the provider holds that the key cannot see. Set [LlmCached(CacheConversations = true)] to cache such calls.")]
    public static partial void ConversationBypassed(ILogger logger, string method);
}
