using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Text;
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
        using OpenAiRequest? request = await OpenAiRequest.ReadAsync(context, settings, NotInKey);
        if (request is null)
        {
            return;
        }

        if (request.Stream)
        {
            await StreamAsync(context, request);
        }
        else
        {
            await WholeAsync(context, request);
        }
    }

    private async Task WholeAsync(HttpContext context, OpenAiRequest request)
    {
        CacheControl control = request.Control;
        CacheOutcome outcome = request.Outcome;
        if (!runtime.ShouldCache(Whole, control))
        {
            await ProxyResponses.PassThroughAsync(context, Call(request), UpstreamPath, streaming: false);
            return;
        }

        if (Lookup(Whole, request, out byte[]? key, out CacheKeyHash hash, out byte[] hit))
        {
            CacheHeaders.Write(context.Response, outcome);
            ProxyResponses.Json(context, hit);
            return;
        }

        byte[] answer;
        try
        {
            // A semantic cache type (settings.SemanticEmbeddingModel) looks for a similar prompt after the exact key missed.
            answer = settings.SemanticEmbeddingModel is not null && SemanticChatPrompt.Read(request.Body, NotInKey) is { } prompt
                ? await runtime.GetOrCreateSemanticAsync(
                    Whole, control, key, hash, ScopeKey(Whole, request, prompt.ScopeBytes), prompt.Text, Call(request), static (c, ct) => c.Upstream.PostAsync(c.Route, UpstreamPath, c.Body, c.ApiKey, ct), context.RequestAborted)
                : await runtime.GetOrCreateAsync(
                    Whole, control, key, hash, Call(request), static (c, ct) => c.Upstream.PostAsync(c.Route, UpstreamPath, c.Body, c.ApiKey, ct), context.RequestAborted);
        }
        catch (UpstreamErrorException error)
        {
            CacheHeaders.Write(context.Response, outcome);
            await ProxyResponses.UpstreamErrorAsync(context, error);
            return;
        }

        CacheHeaders.Write(context.Response, outcome);
        ProxyResponses.Json(context, answer);
    }

    private async Task StreamAsync(HttpContext context, OpenAiRequest request)
    {
        CacheControl control = request.Control;
        CacheOutcome outcome = request.Outcome;
        if (!runtime.ShouldCache(Streamed, control))
        {
            await ProxyResponses.PassThroughAsync(context, Call(request), UpstreamPath, streaming: true);
            return;
        }

        IAsyncEnumerable<string> events = Lookup(Streamed, request, out byte[]? key, out CacheKeyHash hash, out IReadOnlyList<string> stored)
            ? LlmCacheRuntime.ReplayStream(stored, context.RequestAborted)
            : runtime.GetOrCreateStreamAsync(
                Streamed, control, key, hash, Call(request), static (c, ct) => c.Upstream.StreamAsync(c.Route, UpstreamPath, c.Body, c.ApiKey, ct), context.RequestAborted);

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

    // Only a miss or a bypass sends the body upstream: a hit never rewrites it.
    private UpstreamCall Call(OpenAiRequest request) =>
        new(upstream, request.Route, CanonicalRequest.UpstreamBytes(request.Body, request.UpstreamModel), request.ApiKey);

    /// <summary>
    /// Builds the request's key and looks it up in memory. The key is written into the thread's buffer; only a miss,
    /// whose entry keeps it, copies it into <paramref name="key"/>.
    /// </summary>
    private bool Lookup<T>(CachedMethod<T> method, OpenAiRequest request, [NotNullWhen(false)] out byte[]? key, out CacheKeyHash hash, out T value)
    {
        CacheKeyWriter writer = KeyWriter(method, request, request.CanonicalBody);
        try
        {
            if (runtime.TryGetCached(method, request.Control, writer.WrittenSpan, out hash, out value))
            {
                key = null;
                return true;
            }

            key = writer.WrittenSpan.ToArray();
            return false;
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The key of the semantic scope: the request's key with <paramref name="scope"/> (the body without the embedded prompt) as its body.</summary>
    private byte[] ScopeKey<T>(CachedMethod<T> method, OpenAiRequest request, byte[] scope)
    {
        CacheKeyWriter writer = KeyWriter(method, request, scope);
        try
        {
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The key header, the upstream's address and model, then the canonical body; the caller disposes the writer.</summary>
    private CacheKeyWriter KeyWriter<T>(CachedMethod<T> method, OpenAiRequest request, ReadOnlySpan<byte> canonical)
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
        return writer;
    }
}
