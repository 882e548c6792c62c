using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
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

    // A thread's canonical buffer is kept for its next request only while it stays this small.
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The canonical JSON of <paramref name="body"/> without the top-level properties in <paramref name="excluded"/>:
    /// object properties in ordinal order of their names, no whitespace, strings in one escaping, and numbers by their
    /// value (<c>1</c>, <c>1.0</c> and <c>1e0</c> are one number).
    /// </summary>
    public static byte[] KeyBytes(JsonElement body, HashSet<string> excluded) => KeySpan(body, excluded).ToArray();

    /// <summary>
    /// <see cref="KeyBytes"/> without the copy: the bytes are in the calling thread's buffer, which its next call
    /// overwrites, so use them before any <c>await</c>.
    /// </summary>
    public static ReadOnlySpan<byte> KeySpan(JsonElement body, HashSet<string> excluded)
    {
        // A hit builds its key on every request: the thread's writer and buffer are reused, and cleared of the
        // previous prompt first.
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_buffer = buffer = new ArrayBufferWriter<byte>(1024);
        }

        buffer.Clear();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer, Compact);
        writer.Reset(buffer);
        WriteObject(writer, body, excluded);
        writer.Flush();
        return buffer.WrittenSpan;
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

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element, HashSet<string>? excluded)
    {
        HashSet<string>.AlternateLookup<ReadOnlySpan<char>> excludedNames = excluded is null ? default : excluded.GetAlternateLookup<ReadOnlySpan<char>>();
        Property[] properties = ArrayPool<Property>.Shared.Rent(element.GetPropertyCount());
        int count = 0;
        Span<char> nameChars = stackalloc char[MaxStackName];
        try
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                var entry = new Property(property, count);
                if (excluded is null || !(entry.IsPlain ? excludedNames.Contains(entry.AsciiName(nameChars)) : excluded.Contains(property.Name)))
                {
                    properties[count++] = entry;
                }
            }

            // Stable (ties keep their order): a name given twice keeps its order, as the parser that reads the forwarded body sees it.
            properties.AsSpan(0, count).Sort(static (a, b) => a.CompareTo(b));
            writer.WriteStartObject();
            foreach (Property property in properties.AsSpan(0, count))
            {
                if (property.IsPlain)
                {
                    writer.WritePropertyName(property.RawName);
                }
                else
                {
                    writer.WritePropertyName(property.Value.Name);
                }

                WriteValue(writer, property.Value.Value);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<Property>.Shared.Return(properties, clearArray: true);
        }
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
                WriteString(writer, element);
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, element);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static void WriteString(Utf8JsonWriter writer, JsonElement text)
    {
        // Without escapes the raw bytes are the string's own: written from them, with no string in between.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(text);
        ReadOnlySpan<byte> content = raw[1..^1];
        if (content.IndexOf((byte)'\\') < 0)
        {
            writer.WriteStringValue(content);
        }
        else
        {
            writer.WriteStringValue(text.GetString());
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

    private const int MaxStackName = 128;

    /// <summary>
    /// An object's property, ordered by its name in ordinal (UTF-16) order. A plain name (ASCII, no escapes), nearly
    /// every name, is compared and written from its raw bytes, in which byte order is that order; any other through its string.
    /// </summary>
    private readonly struct Property : IComparable<Property>
    {
        public Property(JsonProperty value, int index)
        {
            Value = value;
            Index = index;
            ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8PropertyName(value);
            IsPlain = raw.Length <= MaxStackName && Ascii.IsValid(raw) && raw.IndexOf((byte)'\\') < 0;
        }

        public JsonProperty Value { get; }

        public int Index { get; }

        public bool IsPlain { get; }

        public ReadOnlySpan<byte> RawName => JsonMarshal.GetRawUtf8PropertyName(Value);

        public ReadOnlySpan<char> AsciiName(Span<char> buffer)
        {
            ReadOnlySpan<byte> raw = RawName;
            Ascii.ToUtf16(raw, buffer, out int written);
            return buffer[..written];
        }

        public int CompareTo(Property other)
        {
            int order = IsPlain && other.IsPlain
                ? RawName.SequenceCompareTo(other.RawName)
                : string.CompareOrdinal(Value.Name, other.Value.Name);
            return order != 0 ? order : Index.CompareTo(other.Index);
        }
    }
}
