using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// Middleware for an <see cref="IChatClient"/> pipeline that caches answers in an <see cref="LlmCacheRuntime"/>,
/// with the stores, per-call controls, single-flight, fail-open behaviour and outcome reporting of
/// <see cref="LlmCachedAttribute"/> methods. The key is built from the messages and options by the same
/// hand-written writers (docs/meai-keys.md), without JSON; a memory hit allocates only the returned task.
/// </summary>
/// <remarks>
/// <para>
/// Per-call controls travel in <see cref="ChatOptions.AdditionalProperties"/> under the names of
/// <see cref="CacheControlProperties"/>, or through <see cref="LlmCacheChatExtensions.WithCacheControl"/>; they
/// are never part of the key and are removed from a copy of the options before the inner client sees them. A
/// <see cref="CacheOutcome"/> passed that way receives what the call did.
/// </para>
/// <para>
/// A request with a <see cref="ChatOptions.ConversationId"/> goes to the inner client uncached (reported as
/// <see cref="CacheOutcomeStatus.Bypassed"/>) unless <see cref="LlmCachingChatClientOptions.CacheConversations"/> is set.
/// Streaming responses are cached as the list of their updates, under a key of their own: the live stream passes
/// through as it arrives, concurrent callers of a cold key share one upstream stream, and a hit replays the updates
/// one by one (docs/streaming.md). See docs/middleware.md.
/// </para>
/// </remarks>
public sealed class LlmCachingChatClient : DelegatingChatClient
{
    // Keys null options as empty options, so a request whose options carry nothing but controls shares their entry.
    private static readonly ChatOptions NoOptions = new();

    private readonly LlmCacheRuntime _runtime;
    private readonly LlmCachingChatClientOptions _options;
    private readonly CachedMethod<ChatResponse> _method;
    private readonly CachedMethod<IReadOnlyList<ChatResponseUpdate>> _streamMethod;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that answers on a miss.</param>
    /// <param name="runtime">The cache: its stores, configuration and single-flight.</param>
    /// <param name="options">How to cache; <c>null</c> for the defaults.</param>
    public LlmCachingChatClient(IChatClient innerClient, LlmCacheRuntime runtime, LlmCachingChatClientOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        _options = options?.Clone() ?? new LlmCachingChatClientOptions();

        // The identity starts every key. "#m1" is the version of the middleware's key layout (messages, then
        // options, as written below): change it when that layout changes, so old entries are not read.
        _method = new CachedMethod<ChatResponse>(
            $"LlmCache.AI.LlmCachingChatClient.GetResponseAsync(IEnumerable<ChatMessage>,ChatOptions)->ChatResponse#v{_options.KeyVersion}#m1",
            _options.Type,
            0,
            _options.Namespace,
            MeaiResultSerializers.ChatResponse())
        {
            Kind = CallKind.Chat,
            Copier = _options.ShareResult ? null : MeaiResultCopiers.ChatResponse,
            SimilarityThreshold = _options.SimilarityThreshold,
            PrecisionGuard = _options.PrecisionGuard,
        };
        _streamMethod = new CachedMethod<IReadOnlyList<ChatResponseUpdate>>(
            $"LlmCache.AI.LlmCachingChatClient.GetStreamingResponseAsync(IEnumerable<ChatMessage>,ChatOptions)->IAsyncEnumerable<ChatResponseUpdate>#v{_options.KeyVersion}#m1",
            _options.Type,
            0,
            _options.Namespace,
            CacheStreamSerializer.Json<ChatResponseUpdate>(AIJsonUtilities.DefaultOptions))
        {
            Kind = CallKind.StreamingChat,
            Copier = _options.ShareResult ? null : MeaiResultCopiers.ChatResponseUpdates,
        };
    }

    /// <summary>The runtime this client caches in.</summary>
    public LlmCacheRuntime Runtime => _runtime;

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CacheControl control = ReadControl(options, out ChatOptions? forwarded);
        if (!TryPrepare(_method, messages, options, control, out IList<ChatMessage> list, out ChatOptions keyed))
        {
            return InnerClient.GetResponseAsync(list, forwarded, cancellationToken);
        }

        int size = KeySize(_method, control, list, keyed);

        // Stack memory only for a key that fits: a stackalloc is zeroed, which a larger key would not use.
        var writer = new CacheKeyWriter(size <= 1024 ? stackalloc byte[1024] : default(Span<byte>), size);
        byte[] key;
        CacheKeyHash hash;
        try
        {
            WriteKey(ref writer, _method, control, list, keyed);
            if (_runtime.TryGetCached(_method, in control, writer.WrittenSpan, out hash, out ChatResponse cached))
            {
                return Task.FromResult(cached);
            }

            key = writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }

        if (_runtime.IsSemantic(_method))
        {
            return _runtime.GetOrCreateSemanticAsync(
                _method,
                control,
                key,
                hash,
                ScopeKey(control, list, keyed),
                SemanticKeyText.Of(list),
                (InnerClient, list, forwarded),
                static (state, token) => new ValueTask<ChatResponse>(state.InnerClient.GetResponseAsync(state.list, state.forwarded, token)),
                cancellationToken).AsTask();
        }

        return _runtime.GetOrCreateAsync(
            _method,
            control,
            key,
            hash,
            (InnerClient, list, forwarded),
            static (state, token) => new ValueTask<ChatResponse>(state.InnerClient.GetResponseAsync(state.list, state.forwarded, token)),
            cancellationToken).AsTask();
    }

    /// <summary>The scope of a semantic lookup: the key with the last user message's text left out.</summary>
    private byte[] ScopeKey(in CacheControl control, IList<ChatMessage> list, ChatOptions keyed)
    {
        var writer = new CacheKeyWriter(stackalloc byte[1024], KeySize(_method, control, list, keyed));
        try
        {
            _runtime.WriteKeyHeader(ref writer, _method, in control);
            SemanticKeyText.WriteScope(ref writer, list);
            ChatOptionsKeyWriter.Write(ref writer, keyed);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cached as the list of the stream's updates (<see cref="LlmCacheRuntime.GetOrCreateStreamAsync"/>): stored only
    /// when the stream completes, replayed update by update.
    /// </remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CacheControl control = ReadControl(options, out ChatOptions? forwarded);
        if (!TryPrepare(_streamMethod, messages, options, control, out IList<ChatMessage> list, out ChatOptions keyed))
        {
            return InnerClient.GetStreamingResponseAsync(list, forwarded, cancellationToken);
        }

        int size = KeySize(_streamMethod, control, list, keyed);
        var writer = new CacheKeyWriter(size <= 1024 ? stackalloc byte[1024] : default(Span<byte>), size);
        byte[] key;
        try
        {
            WriteKey(ref writer, _streamMethod, control, list, keyed);
            key = writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }

        return _runtime.GetOrCreateStreamAsync(
            _streamMethod,
            control,
            key,
            CacheKeyDigests.ComputeInProcess(key),
            (InnerClient, list, forwarded),
            static (state, token) => state.InnerClient.GetStreamingResponseAsync(state.list, state.forwarded, token),
            cancellationToken);
    }

    /// <summary>
    /// Whether the request is cached: not when caching is off for it, when it names a provider-held conversation
    /// (unless the client caches those), or when a message or the options are of a derived type the key writers would
    /// miss. The key writers index lists, so any other sequence is read once into one, which is then what the inner
    /// client gets, cached or not.
    /// </summary>
    private bool TryPrepare<T>(CachedMethod<T> method, IEnumerable<ChatMessage> messages, ChatOptions? options, in CacheControl control, out IList<ChatMessage> list, out ChatOptions keyed)
    {
        list = messages as IList<ChatMessage> ?? messages.ToList();
        keyed = options ?? NoOptions;
        if (!_runtime.ShouldCache(method, in control))
        {
            return false;
        }

        if (options?.ConversationId is not null && !_options.CacheConversations)
        {
            ReportBypassed(control);
            return false;
        }

        if ((ChatMessageKeyWriter.FindUnkeyedType(list) ?? ChatOptionsKeyWriter.FindUnkeyedType(keyed)) is { } unkeyed)
        {
            _runtime.BypassUnkeyedType(method, in control, unkeyed.Declared, unkeyed.Actual);
            return false;
        }

        return true;
    }

    private int KeySize<T>(CachedMethod<T> method, in CacheControl control, IList<ChatMessage> list, ChatOptions keyed) =>
        _runtime.GetKeyHeaderSize(method, in control) + ChatMessageKeyWriter.SizeHint(list) + ChatOptionsKeyWriter.SizeHint(keyed);

    private void WriteKey<T>(ref CacheKeyWriter writer, CachedMethod<T> method, in CacheControl control, IList<ChatMessage> list, ChatOptions keyed)
    {
        _runtime.WriteKeyHeader(ref writer, method, in control);
        ChatMessageKeyWriter.Write(ref writer, list);
        ChatOptionsKeyWriter.Write(ref writer, keyed);
    }

    /// <summary>The call's controls (with the client's TTL unless the call sets one), and the options the inner client gets.</summary>
    private CacheControl ReadControl(ChatOptions? options, out ChatOptions? forwarded)
    {
        forwarded = options;
        if (CacheControlProperties.TryRead(options?.AdditionalProperties, out CacheControl control))
        {
            forwarded = WithoutControls(options!);
        }

        return _options.Ttl is { } ttl && control.Ttl is null ? control with { Ttl = ttl } : control;
    }

    /// <summary>A copy of <paramref name="options"/> without the controls, for the inner client; the caller's options are left as they are.</summary>
    private static ChatOptions WithoutControls(ChatOptions options)
    {
        ChatOptions copy = options.Clone();
        copy.AdditionalProperties = CacheControlProperties.WithoutControls(options.AdditionalProperties);
        return copy;
    }

    private static void ReportBypassed(in CacheControl control)
    {
        if (control.Outcome is { } outcome)
        {
            outcome.Reset();
            outcome.Status = CacheOutcomeStatus.Bypassed;
        }
    }
}
