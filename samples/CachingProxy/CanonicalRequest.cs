using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmCache.Proxy;

/// <summary>
/// A request body as a key (its meaning, not its bytes) and as the body sent upstream (the client's own order,
/// without the proxy's <c>cache</c> object).
/// </summary>
public static class CanonicalRequest
{
    /// <summary>The body property that holds the per-request cache controls: never forwarded, never in the key.</summary>
    public const string CacheProperty = "cache";

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false, SkipValidation = true };

    /// <summary>
    /// The canonical JSON of <paramref name="body"/> without the properties in <paramref name="excluded"/>: object
    /// properties in ordinal order of their names, no whitespace, strings in one escaping, and numbers by their
    /// value (<c>1</c>, <c>1.0</c> and <c>1e0</c> are one number).
    /// </summary>
    public static byte[] KeyBytes(JsonElement body, IReadOnlySet<string> excluded)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            WriteObject(writer, body, excluded);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The body to send upstream: the client's properties in the client's order, without <c>cache</c> and the
    /// properties in <paramref name="dropped"/>, with <c>model</c> replaced by <paramref name="model"/> and the
    /// properties of <paramref name="replacements"/> put in their place (or added at the end).
    /// </summary>
    public static byte[] UpstreamBytes(JsonElement body, string model, IReadOnlySet<string>? dropped = null, IReadOnlyDictionary<string, Action<Utf8JsonWriter>>? replacements = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in body.EnumerateObject())
            {
                if (property.NameEquals("model") || property.NameEquals(CacheProperty) || (dropped?.Contains(property.Name) ?? false))
                {
                    continue;
                }

                writer.WritePropertyName(property.Name);
                if (replacements is not null && replacements.TryGetValue(property.Name, out Action<Utf8JsonWriter>? replace))
                {
                    written.Add(property.Name);
                    replace(writer);
                }
                else
                {
                    property.Value.WriteTo(writer);
                }
            }

            if (replacements is not null)
            {
                foreach ((string name, Action<Utf8JsonWriter> write) in replacements)
                {
                    if (!written.Contains(name))
                    {
                        writer.WritePropertyName(name);
                        write(writer);
                    }
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element, IReadOnlySet<string>? excluded)
    {
        var properties = new List<JsonProperty>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (excluded is null || !excluded.Contains(property.Name))
            {
                properties.Add(property);
            }
        }

        // A stable sort: a name given twice keeps its order, as the parser that reads the forwarded body sees it.
        properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.WriteStartObject();
        foreach (JsonProperty property in properties)
        {
            writer.WritePropertyName(property.Name);
            WriteValue(writer, property.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element, null);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, element);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement number)
    {
        if (number.TryGetDecimal(out decimal value))
        {
            // Dividing by 1.000…0 drops trailing zeros of the scale: 1.0m and 1m write as "1", 0.50m as "0.5".
            writer.WriteNumberValue(value / 1.0000000000000000000000000000m);
        }
        else
        {
            // Beyond decimal's range (1e300): the shortest text that reads back as the same double.
            writer.WriteNumberValue(number.GetDouble());
        }
    }
}
