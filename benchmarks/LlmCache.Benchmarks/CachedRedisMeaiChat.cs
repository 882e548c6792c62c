using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>The LlmCache side over Redis: a generated cached method over the messages and options, its entries in the Redis store.</summary>
public sealed partial class CachedRedisMeaiChat(LlmCacheRuntime cache, IChatClient model)
{
    [LlmCached(Type = CacheType.Redis)]
    public partial ValueTask<ChatResponse> ChatAsync(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

    private ValueTask<ChatResponse> ChatAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        new(model.GetResponseAsync(messages, options, cancellationToken));

    /// <summary>The key in the Redis store of <see cref="ChatAsync"/> for these arguments.</summary>
    public static CacheStoreKey StoreKey(LlmCacheRuntime runtime, IList<ChatMessage> messages, ChatOptions? options)
    {
        var writer = new CacheKeyWriter(default, runtime.GetKeyHeaderSize(__LlmCache_ChatAsync.Method, default) + __LlmCache_ChatAsync.GetMaxKeySize(messages, options));
        try
        {
            runtime.WriteKeyHeader(ref writer, __LlmCache_ChatAsync.Method, default);
            __LlmCache_ChatAsync.WriteKey(ref writer, messages, options);
            return CacheStoreKey.FromCanonicalKey(string.Empty, writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }
}
