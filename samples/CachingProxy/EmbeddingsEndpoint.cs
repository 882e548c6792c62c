using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace LlmCache.Proxy;

/// <summary>
/// <c>POST /v1/embeddings</c> and <c>/embeddings</c>, through <see cref="LlmCachingEmbeddingGenerator{TInput, TEmbedding}"/>:
/// each input of a list is its own entry, and only the inputs missing from the cache reach the upstream, in one batch.
/// Token-array inputs are passed through uncached.
/// </summary>
public sealed class EmbeddingsEndpoint(LlmCacheRuntime runtime, ProxySettings settings, UpstreamClient upstream)
{
    // Out of the key and of the upstream body's extra fields: set by the proxy itself or never changing a vector.
    private static readonly HashSet<string> NotRequestFields = new(StringComparer.Ordinal)
    {
        CanonicalRequest.CacheProperty, "model", "input", "encoding_format", "dimensions", "user",
    };

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        using OpenAiRequest? request = await OpenAiRequest.ReadAsync(context, settings, NotRequestFields);
        if (request is null)
        {
            return;
        }

        JsonElement body = request.Body;
        ModelRoute route = request.Route;
        string? apiKey = request.ApiKey;
        string upstreamModel = request.UpstreamModel;
        if (!TryReadInputs(body, out string[]? inputs))
        {
            if (!body.TryGetProperty("input", out _))
            {
                await ProxyResponses.BadRequestAsync(context, "You must provide an input parameter.", "input");
                return;
            }

            // Token arrays: passed to the upstream as they are.
            var call = new UpstreamCall(upstream, route, CanonicalRequest.UpstreamBytes(body, upstreamModel), apiKey);
            await ProxyResponses.PassThroughAsync(context, call, UpstreamEmbeddingGenerator.UpstreamPath, streaming: false);
            return;
        }

        bool base64 = false;
        if (body.TryGetProperty("encoding_format", out JsonElement format) && format.ValueKind != JsonValueKind.Null)
        {
            base64 = format.ValueKind == JsonValueKind.String && format.GetString() == "base64";
            if (!base64 && !(format.ValueKind == JsonValueKind.String && format.GetString() == "float"))
            {
                await ProxyResponses.BadRequestAsync(context, "encoding_format must be 'float' or 'base64'.", "encoding_format");
                return;
            }
        }

        var options = new EmbeddingGenerationOptions
        {
            ModelId = upstreamModel,
            AdditionalProperties = new AdditionalPropertiesDictionary { [CacheControlProperties.Control] = request.Control },
        };
        if (body.TryGetProperty("dimensions", out JsonElement dimensions) && dimensions.ValueKind != JsonValueKind.Null)
        {
            if (!dimensions.TryGetInt32(out int count) || count < 1)
            {
                await ProxyResponses.BadRequestAsync(context, "dimensions must be a whole number, 1 or more.", "dimensions");
                return;
            }

            options.Dimensions = count;
        }

        byte[] fields = request.CanonicalBody.ToArray();
        if (fields.Length > 2)
        {
            options.AdditionalProperties[UpstreamEmbeddingGenerator.RequestFieldsProperty] = System.Text.Encoding.UTF8.GetString(fields);
        }

        using var generator = new LlmCachingEmbeddingGenerator<string, Embedding<float>>(new UpstreamEmbeddingGenerator(upstream, route, apiKey), runtime);
        GeneratedEmbeddings<Embedding<float>> result;
        try
        {
            result = await generator.GenerateAsync(inputs, options, context.RequestAborted);
        }
        catch (UpstreamErrorException error)
        {
            CacheHeaders.Write(context.Response, request.Outcome);
            await ProxyResponses.UpstreamErrorAsync(context, error);
            return;
        }

        CacheHeaders.Write(context.Response, request.Outcome);
        ProxyResponses.Json(context, Answer(result, request.Model, base64));
    }

    private static bool TryReadInputs(JsonElement body, [NotNullWhen(true)] out string[]? inputs)
    {
        inputs = null;
        if (!body.TryGetProperty("input", out JsonElement input))
        {
            return false;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            inputs = [input.GetString()!];
            return true;
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return false;
        }

        var list = new string[input.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list[i++] = item.GetString()!;
        }

        inputs = list;
        return true;
    }

    /// <summary>The OpenAI embeddings answer: <c>{"object": "list", "data": [...], "model", "usage"}</c>.</summary>
    private static byte[] Answer(GeneratedEmbeddings<Embedding<float>> result, string model, bool base64)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (int i = 0; i < result.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                ReadOnlySpan<float> vector = result[i].Vector.Span;
                if (base64)
                {
                    writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(vector));
                }
                else
                {
                    writer.WriteStartArray("embedding");
                    foreach (float value in vector)
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", result.Count > 0 && result[0].ModelId is { } upstreamModel ? upstreamModel : model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", result.Usage?.InputTokenCount ?? 0);
            writer.WriteNumber("total_tokens", result.Usage?.TotalTokenCount ?? result.Usage?.InputTokenCount ?? 0);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
