using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>
/// <c>POST /v1/chat/completions</c> and <c>/chat/completions</c>. A whole answer is cached as the upstream's JSON
/// bytes; <c>stream: true</c> is cached as the list of its server-sent events' payloads, passed on live on a miss and
/// replayed event by event on a hit. Each has its own entry (a stream cannot be replayed from a whole answer).
/// </summary>
public sealed class ChatCompletionsEndpoint(LlmCacheRuntime runtime, ProxySettings settings, UpstreamClient upstream)
{
    /// <summary>The upstream path under a route's base address.</summary>
    public const string UpstreamPath = "chat/completions";

    private static readonly CachedMethod<byte[]> Whole =
        new("LlmCache.Proxy POST /chat/completions->json#v1", CacheType.Default, 0, null, CacheValueSerializer.Bytes) { Kind = CallKind.Chat };

    private static readonly CachedMethod<IReadOnlyList<string>> Streamed =
        new("LlmCache.Proxy POST /chat/completions stream->sse#v1", CacheType.Default, 0, null, CacheStreamSerializer.String) { Kind = CallKind.StreamingChat };

    // Out of the key: the proxy's controls, the model (keyed as the upstream's model at its address), whether the
    // answer is streamed (a method of its own), and fields that never change the answer (docs/proxy.md).
    private static readonly HashSet<string> NotInKey = new(StringComparer.Ordinal) { CanonicalRequest.CacheProperty, "model", "stream", "user", "metadata", "store" };

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        using OpenAiRequest? request = await OpenAiRequest.ReadAsync(context, settings);
        if (request is null)
        {
            return;
        }

        JsonElement body = request.Body;
        var call = new UpstreamCall(upstream, request.Route, CanonicalRequest.UpstreamBytes(body, request.UpstreamModel), request.ApiKey);
        bool stream = body.TryGetProperty("stream", out JsonElement streamElement) && streamElement.ValueKind == JsonValueKind.True;
        if (stream)
        {
            await StreamAsync(context, call, request.Control, request.Outcome, Key(Streamed, request));
        }
        else
        {
            await WholeAsync(context, call, request, Key(Whole, request));
        }
    }

    private async Task WholeAsync(HttpContext context, UpstreamCall call, OpenAiRequest request, byte[]? key)
    {
        CacheControl control = request.Control;
        CacheOutcome outcome = request.Outcome;
        if (key is null)
        {
            await ProxyResponses.PassThroughAsync(context, call, UpstreamPath, streaming: false);
            return;
        }

        if (runtime.TryGetCached(Whole, control, key, out CacheKeyHash hash, out byte[] hit))
        {
            CacheHeaders.Write(context.Response, outcome);
            await ProxyResponses.JsonAsync(context, hit);
            return;
        }

        byte[] answer;
        try
        {
            // A semantic cache type (settings.SemanticEmbeddingModel) looks for a similar prompt after the exact key missed.
            answer = settings.SemanticEmbeddingModel is not null && SemanticChatPrompt.Read(request.Body, NotInKey) is { } prompt
                ? await runtime.GetOrCreateSemanticAsync(
                    Whole, control, key, hash, Key(Whole, request, prompt.ScopeBytes), prompt.Text, call, static (c, ct) => c.Upstream.PostAsync(c.Route, UpstreamPath, c.Body, c.ApiKey, ct), context.RequestAborted)
                : await runtime.GetOrCreateAsync(
                    Whole, control, key, hash, call, static (c, ct) => c.Upstream.PostAsync(c.Route, UpstreamPath, c.Body, c.ApiKey, ct), context.RequestAborted);
        }
        catch (UpstreamErrorException error)
        {
            CacheHeaders.Write(context.Response, outcome);
            await ProxyResponses.UpstreamErrorAsync(context, error);
            return;
        }

        CacheHeaders.Write(context.Response, outcome);
        await ProxyResponses.JsonAsync(context, answer);
    }

    private async Task StreamAsync(HttpContext context, UpstreamCall call, CacheControl control, CacheOutcome outcome, byte[]? key)
    {
        if (key is null)
        {
            await ProxyResponses.PassThroughAsync(context, call, UpstreamPath, streaming: true);
            return;
        }

        IAsyncEnumerable<string> events = runtime.TryGetCached(Streamed, control, key, out CacheKeyHash hash, out IReadOnlyList<string> stored)
            ? LlmCacheRuntime.ReplayStream(stored, context.RequestAborted)
            : runtime.GetOrCreateStreamAsync(
                Streamed, control, key, hash, call, static (c, ct) => c.Upstream.StreamAsync(c.Route, UpstreamPath, c.Body, c.ApiKey, ct), context.RequestAborted);

        await using IAsyncEnumerator<string> reader = events.GetAsyncEnumerator(context.RequestAborted);
        bool more;
        try
        {
            more = await reader.MoveNextAsync();
        }
        catch (UpstreamErrorException error)
        {
            // Nothing was sent yet: the client gets the upstream's status and body, as for a whole answer.
            CacheHeaders.Write(context.Response, outcome);
            await ProxyResponses.UpstreamErrorAsync(context, error);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        CacheHeaders.Write(context.Response, outcome);
        try
        {
            while (more)
            {
                await WriteEventAsync(context, reader.Current);
                more = await reader.MoveNextAsync();
            }
        }
        catch (UpstreamErrorException)
        {
            // The status line is gone: a broken connection is the only way left to say the stream failed. Nothing is stored.
            context.Abort();
            return;
        }

        await WriteEventAsync(context, "[DONE]");
    }

    private static async Task WriteEventAsync(HttpContext context, string payload)
    {
        Stream body = context.Response.Body;
        await body.WriteAsync(DataPrefix, context.RequestAborted);
        await body.WriteAsync(Encoding.UTF8.GetBytes(payload), context.RequestAborted);
        await body.WriteAsync(EventEnd, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>The canonical key of the request, or <c>null</c> when this call does not use the cache.</summary>
    private byte[]? Key<T>(CachedMethod<T> method, OpenAiRequest request)
    {
        CacheControl control = request.Control;
        return runtime.ShouldCache(method, control) ? Key(method, request, CanonicalRequest.KeyBytes(request.Body, NotInKey)) : null;
    }

    /// <summary>The key of the request whose canonical body is <paramref name="canonical"/>: the key header, the upstream's address and model, the body.</summary>
    private byte[] Key<T>(CachedMethod<T> method, OpenAiRequest request, byte[] canonical)
    {
        CacheControl control = request.Control;
        string address = request.Route.BaseUrl.AbsoluteUri;
        string upstreamModel = request.UpstreamModel;
        int size = runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(address) + CacheKeyWriter.MaxStringSize(upstreamModel) + 5 + canonical.Length;
        var writer = new CacheKeyWriter(Span<byte>.Empty, size);
        runtime.WriteKeyHeader(ref writer, method, control);
        writer.WriteString(address);
        writer.WriteString(upstreamModel);
        writer.WriteBytes(canonical);
        return writer.ToArrayAndDispose();
    }
}
