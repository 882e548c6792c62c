using System;
using System.Buffers;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>Writes what the upstream answered, or what the cache holds, as the client's response.</summary>
public static class ProxyResponses
{
    /// <summary>A JSON body with status 200.</summary>
    public static void Json(HttpContext context, byte[] body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        // Copied into the response's pipe without a flush of its own: Kestrel sends the headers and the whole body
        // together when the request ends, one write to the socket for a hit.
        response.BodyWriter.Write(body);
    }

    /// <summary>An upstream failure as the upstream sent it: its status, content type and body.</summary>
    public static Task UpstreamErrorAsync(HttpContext context, UpstreamErrorException error)
    {
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = error.ContentType ?? "application/json";
        context.Response.ContentLength = error.Body.Length;
        return context.Response.Body.WriteAsync(error.Body, context.RequestAborted).AsTask();
    }

    /// <summary>A 400 with an OpenAI-style error about the request.</summary>
    public static Task BadRequestAsync(HttpContext context, string message, string? param = null) =>
        OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, message, "invalid_request_error", param is null ? null : "invalid_" + param);

    /// <summary>
    /// Sends the request upstream without the cache and copies the answer to the client as it arrives (status,
    /// content type and body, a stream of events too), marked <c>x-llmcache: bypass</c>.
    /// </summary>
    public static async Task PassThroughAsync(HttpContext context, UpstreamCall call, string path, bool streaming)
    {
        CacheHeaders.Bypass(context.Response);
        HttpResponseMessage response;
        try
        {
            response = await call.Upstream.SendUncachedAsync(call.Route, path, call.Body, call.ApiKey, streaming, context.RequestAborted);
        }
        catch (UpstreamErrorException error)
        {
            await UpstreamErrorAsync(context, error);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
    }
}
