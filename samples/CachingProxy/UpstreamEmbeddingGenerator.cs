using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Proxy;

/// <summary>
/// An OpenAI-compatible <c>/embeddings</c> endpoint as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, so
/// that LlmCache's embedding middleware caches each input of a list on its own and sends only the missing ones.
/// Vectors are always asked for as floats; the proxy encodes them as the client asked.
/// </summary>
public sealed class UpstreamEmbeddingGenerator(UpstreamClient upstream, ModelRoute route, string? apiKey) : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The upstream path under a route's base address.</summary>
    public const string UpstreamPath = "embeddings";

    /// <summary>
    /// The option property that carries the request's other fields as canonical JSON: in the key (through the
    /// options' properties) and merged into the upstream body.
    /// </summary>
    public const string RequestFieldsProperty = "proxy.request-fields";

    private readonly EmbeddingGeneratorMetadata _metadata = new("openai-compatible", route.BaseUrl, route.UpstreamModel);

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        string[] inputs = values as string[] ?? values.ToArray();
        byte[] body = UpstreamBody(inputs, options?.ModelId ?? route.UpstreamModel ?? string.Empty, options);
        byte[] answer = await upstream.PostAsync(route, UpstreamPath, body, apiKey, cancellationToken);
        return Parse(answer, inputs.Length);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    // The model is the request's, or the route's own when the semantic cache embeds a prompt (no options).
    private static byte[] UpstreamBody(string[] inputs, string model, EmbeddingGenerationOptions? options)
    {
        using var fields = options?.AdditionalProperties?.TryGetValue(RequestFieldsProperty, out object? value) == true && value is string json
            ? JsonDocument.Parse(json)
            : JsonDocument.Parse("{}");
        var replacements = new Dictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            ["input"] = writer =>
            {
                writer.WriteStartArray();
                foreach (string input in inputs)
                {
                    writer.WriteStringValue(input);
                }

                writer.WriteEndArray();
            },
            ["encoding_format"] = static writer => writer.WriteStringValue("float"),
        };
        if (options?.Dimensions is { } dimensions)
        {
            replacements["dimensions"] = writer => writer.WriteNumberValue(dimensions);
        }

        return CanonicalRequest.UpstreamBytes(fields.RootElement, model, replacements: replacements);
    }

    private static GeneratedEmbeddings<Embedding<float>> Parse(byte[] answer, int expected)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(answer);
            JsonElement root = document.RootElement;
            string? model = root.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var vectors = new Embedding<float>?[expected];
            foreach (JsonElement item in root.GetProperty("data").EnumerateArray())
            {
                int index = item.GetProperty("index").GetInt32();
                vectors[index] = new Embedding<float>(ReadVector(item.GetProperty("embedding"))) { ModelId = model };
            }

            var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => v ?? throw new FormatException("an input has no embedding")));
            if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
            {
                result.Usage = new UsageDetails
                {
                    InputTokenCount = usage.TryGetProperty("prompt_tokens", out JsonElement prompt) ? prompt.GetInt64() : null,
                    TotalTokenCount = usage.TryGetProperty("total_tokens", out JsonElement total) ? total.GetInt64() : null,
                };
            }

            return result;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new UpstreamErrorException(
                502, "application/json", OpenAiError.Body($"The upstream's embeddings answer could not be read ({expected} inputs sent).", "api_error", "bad_upstream_response"));
        }
    }

    private static float[] ReadVector(JsonElement embedding)
    {
        if (embedding.ValueKind == JsonValueKind.String)
        {
            // An upstream that answers in base64 anyway: little-endian float32s.
            return MemoryMarshal.Cast<byte, float>(embedding.GetBytesFromBase64()).ToArray();
        }

        var vector = new float[embedding.GetArrayLength()];
        int i = 0;
        foreach (JsonElement value in embedding.EnumerateArray())
        {
            vector[i++] = value.GetSingle();
        }

        return vector;
    }
}
