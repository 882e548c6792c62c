using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>An OpenAI-style error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAiError([property: JsonPropertyName("error")] OpenAiErrorDetail Error)
{
    /// <summary>The JSON body for <paramref name="message"/>, as bytes.</summary>
    public static byte[] Body(string message, string type, string? code = null) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new OpenAiError(new OpenAiErrorDetail(message, type, null, code)), ProxyJsonContext.Default.OpenAiError);

    /// <summary>Writes the error as the response.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Body(message, type, code)).AsTask();
    }
}

/// <summary>The inside of <see cref="OpenAiError"/>.</summary>
public sealed record OpenAiErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
