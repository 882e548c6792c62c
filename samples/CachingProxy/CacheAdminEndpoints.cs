using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary><c>GET /health</c>, <c>GET /cache/ping</c>, and behind the master key <c>POST /cache/delete</c> and <c>POST /cache/flushall</c>.</summary>
public sealed class CacheAdminEndpoints(LlmCacheRuntime runtime, ProxySettings settings)
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    /// <summary><c>GET /health</c>: the process answers.</summary>
    public static Task HealthAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(new HealthResponse("healthy"), ProxyJsonContext.Default.HealthResponse);

    /// <summary>
    /// <c>GET /cache/ping</c>: 200 with the cache type when the store answers a read; 503 with a short fixed
    /// message when it fails or when no cache is configured.
    /// </summary>
    public async Task PingAsync(HttpContext context)
    {
        if (!settings.CacheEnabled || !runtime.IsEnabled)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Cache not initialized.", "service_unavailable");
            return;
        }

        LlmCacheOptions options = runtime.GetOptions();
        CacheType type = options.DefaultType == CacheType.Dual ? CacheType.Redis : options.DefaultType;
        string name = options.DefaultType switch
        {
            CacheType.Default or CacheType.Memory => "local",
            CacheType.Dual => "dual",
            CacheType.AzureBlob => "azure-blob",
            _ => options.DefaultType.ToString().ToLowerInvariant(),
        };
        if (options.Stores.TryGetValue(type, out StoreRegistration? registration))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                timeout.CancelAfter(PingTimeout);
                await registration.Store.GetAsync(new CacheStoreKey("llmcache-ping", new byte[32]), timeout.Token).AsTask().WaitAsync(timeout.Token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                // The reason (a connection error, a timeout) is the server log's business, not the caller's.
                await OpenAiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The cache store did not answer.", "service_unavailable");
                return;
            }
        }

        await context.Response.WriteAsJsonAsync(new CachePingResponse("healthy", name), ProxyJsonContext.Default.CachePingResponse);
    }

    /// <summary><c>POST /cache/delete</c> with <c>{"keys": ["…"]}</c>: removes those entries (their <c>x-litellm-cache-key</c>) from every tier.</summary>
    public async Task DeleteAsync(HttpContext context)
    {
        if (!await RequireMasterAsync(context))
        {
            return;
        }

        CacheDeleteRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, ProxyJsonContext.Default.CacheDeleteRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            await ProxyResponses.BadRequestAsync(context, "The body must be {\"keys\": [\"<x-litellm-cache-key>\", ...]}.", "keys");
            return;
        }

        if (request?.Keys is not { Length: > 0 } keys)
        {
            await ProxyResponses.BadRequestAsync(context, "The body must be {\"keys\": [\"<x-litellm-cache-key>\", ...]}.", "keys");
            return;
        }

        int deleted = 0;
        foreach (string key in keys)
        {
            try
            {
                if (await runtime.RemoveAsync(key, request.Namespace, context.RequestAborted))
                {
                    deleted++;
                }
            }
            catch (ArgumentException)
            {
                await ProxyResponses.BadRequestAsync(context, "Each key must be the 64 hex characters of an x-litellm-cache-key header.", "keys");
                return;
            }
            catch (AggregateException)
            {
                await OpenAiError.WriteAsync(context, StatusCodes.Status500InternalServerError, "A cache store failed to delete the entry.", "api_error");
                return;
            }
        }

        await context.Response.WriteAsJsonAsync(new CacheAdminResponse("success", deleted), ProxyJsonContext.Default.CacheAdminResponse);
    }

    /// <summary><c>POST /cache/flushall</c>: removes every entry of the memory tier and of every store.</summary>
    public async Task FlushAllAsync(HttpContext context)
    {
        if (!await RequireMasterAsync(context))
        {
            return;
        }

        try
        {
            await runtime.ClearAllAsync(context.RequestAborted);
        }
        catch (AggregateException)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status500InternalServerError, "A cache store failed to remove its entries.", "api_error");
            return;
        }

        await context.Response.WriteAsJsonAsync(new CacheAdminResponse("success", null), ProxyJsonContext.Default.CacheAdminResponse);
    }

    private static async Task<bool> RequireMasterAsync(HttpContext context)
    {
        if (ProxyAuth.CallerOf(context).IsMaster)
        {
            return true;
        }

        await OpenAiError.WriteAsync(
            context, StatusCodes.Status403Forbidden, "This endpoint needs the master key (general_settings.master_key or LITELLM_MASTER_KEY).", "auth_error");
        return false;
    }
}
