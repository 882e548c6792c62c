using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>Reads a JSON request body under the size limit; a body too large or not a JSON object gets its OpenAI-style error here.</summary>
public static class RequestBody
{
    /// <summary>The parsed body, or <c>null</c> when an error response has been written.</summary>
    public static async Task<JsonDocument?> ReadObjectAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, maxBytes);
            return null;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    await TooLargeAsync(context, maxBytes);
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own body limit, set to the same size.
            await OpenAiError.WriteAsync(context, exception.StatusCode, "The request body could not be read.", "invalid_request_error");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException exception)
        {
            await OpenAiError.WriteAsync(
                context, StatusCodes.Status400BadRequest, $"We could not parse the JSON body of your request: {exception.Message}", "invalid_request_error");
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, "The request body must be a JSON object.", "invalid_request_error");
            return null;
        }

        return document;
    }

    private static async Task TooLargeAsync(HttpContext context, long maxBytes)
    {
        // The rest of the body is never read, so the connection cannot carry another request: say so, and send the
        // whole answer before Kestrel gives up on the unread body and closes it.
        context.Response.Headers.Connection = "close";
        await OpenAiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the proxy's limit of {maxBytes} bytes.", "invalid_request_error", "request_too_large");
        await context.Response.CompleteAsync();
    }
}
