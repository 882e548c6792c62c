using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
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

    // A thread's scratch buffer is kept for its next value only while it stays this small.
    private const int KeptScratchBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The canonical JSON of the object <paramref name="json"/> without <c>cache</c> and the top-level properties
    /// in <paramref name="excluded"/>: object properties in ordinal order of their names, no whitespace, strings in
    /// one escaping, and numbers by their value (<c>1</c>, <c>1.0</c> and <c>1e0</c> are one number).
    /// </summary>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON.</exception>
    public static byte[] KeyBytes(ReadOnlyMemory<byte> json, HashSet<string> excluded)
    {
        var output = new PooledBytes();
        try
        {
            _ = Read(json, excluded, ref output);
            return output.WrittenSpan.ToArray();
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>
    /// Reads <paramref name="json"/> in one pass: checks that it is JSON, writes its canonical form as
    /// <see cref="KeyBytes"/> does into <paramref name="output"/> when it is an object, and picks out the top-level
    /// fields the proxy reads. Where a name is given twice, the last one counts, as for any JSON parser that reads
    /// the forwarded body.
    /// </summary>
    /// <returns>The fields; <see cref="RequestFields.IsObject"/> is false (and nothing written) for any other JSON value.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON.</exception>
    public static RequestFields Read(ReadOnlyMemory<byte> json, HashSet<string> excluded, ref PooledBytes output)
    {
        var reader = new Utf8JsonReader(json.Span);
        var fields = default(RequestFields);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            fields.IsObject = true;
            WriteObject(ref reader, json, excluded, ref output, ref fields);
        }
        else
        {
            // Not an object: still read to its end, so that malformed JSON is reported as such.
            reader.Skip();
        }

        // Anything after the value is an error the reader reports.
        reader.Read();
        return fields;
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

    private static void WriteObject(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, HashSet<string>? excluded, ref PooledBytes output, ref RequestFields fields)
    {
        int objectStart = output.Length;
        output.Write((byte)'{');
        Member[] members = ArrayPool<Member>.Shared.Rent(16);
        int count = 0;
        bool sorted = true;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlyMemory<byte> raw = json.Slice(checked((int)reader.TokenStartIndex) + 1, reader.ValueSpan.Length);
                bool plain = !reader.ValueIsEscaped && raw.Length <= MaxPlainName && Ascii.IsValid(raw.Span);
                string? name = plain ? null : reader.GetString();
                TopLevel field = excluded is null ? TopLevel.None : Field(ref reader);
                reader.Read();
                if (excluded is not null && (Pick(field, ref reader, json, ref fields) || IsExcluded(excluded, raw.Span, name)))
                {
                    reader.Skip();
                    continue;
                }

                if (count > 0)
                {
                    output.Write((byte)',');
                }

                var member = new Member(plain ? raw : default, name, count, output.Length);
                WriteString(ref output, raw.Span, name);
                output.Write((byte)':');
                WriteValue(ref reader, json, ref output);
                member.Length = output.Length - member.Start;
                if (count == members.Length)
                {
                    members = Grow(members);
                }

                sorted &= count == 0 || members[count - 1].CompareTo(member) < 0;
                members[count++] = member;
            }

            if (!sorted)
            {
                Reorder(ref output, objectStart + 1, members.AsSpan(0, count));
            }

            output.Write((byte)'}');
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(members, clearArray: true);
        }
    }

    // Sorts the members (stable: a name given twice keeps its order, as the parser that reads the forwarded body
    // sees it) and writes them again in that order from start, where the first of them was written.
    private static void Reorder(ref PooledBytes output, int start, Span<Member> members)
    {
        members.Sort(static (a, b) => a.CompareTo(b));
        int length = output.Length - start;
        byte[] copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            output.WrittenSpan.Slice(start, length).CopyTo(copy);
            output.Truncate(start);
            for (int i = 0; i < members.Length; i++)
            {
                if (i > 0)
                {
                    output.Write((byte)',');
                }

                output.Write(copy.AsSpan(members[i].Start - start, members[i].Length));
            }
        }
        finally
        {
            // Prompts are private: the pool gets the array back cleared of them.
            copy.AsSpan(0, length).Clear();
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static Member[] Grow(Member[] members)
    {
        Member[] larger = ArrayPool<Member>.Shared.Rent(members.Length * 2);
        members.CopyTo(larger, 0);
        ArrayPool<Member>.Shared.Return(members, clearArray: true);
        return larger;
    }

    private static TopLevel Field(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("model"u8) ? TopLevel.Model
        : reader.ValueTextEquals("stream"u8) ? TopLevel.Stream
        : reader.ValueTextEquals("cache"u8) ? TopLevel.Cache
        : TopLevel.None;

    /// <summary>Reads a top-level field the proxy needs; <c>true</c> for <c>cache</c>, which is never in the key.</summary>
    private static bool Pick(TopLevel field, ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, ref RequestFields fields)
    {
        switch (field)
        {
            case TopLevel.Model:
                fields.Model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                return false;
            case TopLevel.Stream:
                fields.Stream = reader.TokenType == JsonTokenType.True;
                return false;
            case TopLevel.Cache:
                int start = checked((int)reader.TokenStartIndex);
                reader.Skip();
                fields.Cache = json[start..checked((int)reader.BytesConsumed)];
                return true;
            default:
                return false;
        }
    }

    private static bool IsExcluded(HashSet<string> excluded, ReadOnlySpan<byte> raw, string? name)
    {
        if (name is not null)
        {
            return excluded.Contains(name);
        }

        Span<char> chars = stackalloc char[MaxPlainName];
        Ascii.ToUtf16(raw, chars, out int written);
        return excluded.GetAlternateLookup<ReadOnlySpan<char>>().Contains(chars[..written]);
    }

    private static void WriteValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, ref PooledBytes output)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                RequestFields nested = default;
                WriteObject(ref reader, json, null, ref output, ref nested);
                break;
            case JsonTokenType.StartArray:
                output.Write((byte)'[');
                bool first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first)
                    {
                        output.Write((byte)',');
                    }

                    first = false;
                    WriteValue(ref reader, json, ref output);
                }

                output.Write((byte)']');
                break;
            case JsonTokenType.String:
                // Without escapes the raw bytes are the string's own: written from them, with no string in between.
                WriteString(ref output, reader.ValueSpan, reader.ValueIsEscaped ? reader.GetString() : null);
                break;
            case JsonTokenType.Number:
                WriteNumber(ref reader, ref output);
                break;
            default:
                // true, false, null: the reader has checked that the bytes are the literal.
                output.Write(reader.ValueSpan);
                break;
        }
    }

    /// <summary>A JSON string in <see cref="Compact"/>'s escaping: <paramref name="text"/>, else the unescaped UTF-8 <paramref name="raw"/>.</summary>
    private static void WriteString(ref PooledBytes output, ReadOnlySpan<byte> raw, string? text)
    {
        if (text is null && Compact.Encoder!.FindFirstCharacterToEncodeUtf8(raw) < 0)
        {
            // Nothing to escape: the bytes between quotes, as the writer would write them.
            output.Write((byte)'"');
            output.Write(raw);
            output.Write((byte)'"');
            return;
        }

        Utf8JsonWriter writer = Scratch(out ArrayBufferWriter<byte> buffer);
        if (text is null)
        {
            writer.WriteStringValue(raw);
        }
        else
        {
            writer.WriteStringValue(text);
        }

        writer.Flush();
        output.Write(buffer.WrittenSpan);
    }

    private static void WriteNumber(ref Utf8JsonReader reader, ref PooledBytes output)
    {
        if (reader.TryGetDecimal(out decimal value))
        {
            // Dividing by 1.000…0 drops trailing zeros of the scale: 1.0m and 1m write as "1", 0.50m as "0.5".
            Span<byte> text = output.GetSpan(MaxDecimalLength);
            Utf8Formatter.TryFormat(value / 1.0000000000000000000000000000m, text, out int written);
            output.Advance(written);
        }
        else
        {
            // Beyond decimal's range (1e300): the shortest text that reads back as the same double.
            Utf8JsonWriter writer = Scratch(out ArrayBufferWriter<byte> buffer);
            writer.WriteNumberValue(reader.GetDouble());
            writer.Flush();
            output.Write(buffer.WrittenSpan);
        }
    }

    /// <summary>The thread's writer for the rare values whose form is the writer's to decide, emptied (and cleared of the last value) first.</summary>
    private static Utf8JsonWriter Scratch(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_scratch ??= new ArrayBufferWriter<byte>(256);
        if (buffer.Capacity > KeptScratchBytes)
        {
            t_scratch = buffer = new ArrayBufferWriter<byte>(256);
        }

        buffer.Clear();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer, Compact);
        writer.Reset(buffer);
        return writer;
    }

    // Names longer than this, with escapes or beyond ASCII are compared by their text; all others by their bytes.
    private const int MaxPlainName = 128;

    // The longest decimal text: 29 digits, a sign and a point.
    private const int MaxDecimalLength = 31;

    private enum TopLevel
    {
        None,
        Model,
        Stream,
        Cache,
    }

    /// <summary>
    /// An object's member as written: where its <c>"name":value</c> is in the output, and its name, ordered in
    /// ordinal (UTF-16) order. A plain name (ASCII, no escapes), nearly every name, is compared by its raw bytes, in
    /// which byte order is that order; any other by its text.
    /// </summary>
    private struct Member(ReadOnlyMemory<byte> plainName, string? name, int index, int start)
    {
        private readonly ReadOnlyMemory<byte> _plainName = plainName;
        private readonly string? _name = name;
        private readonly int _index = index;

        public int Start { get; } = start;

        public int Length { get; set; }

        public readonly int CompareTo(Member other)
        {
            int order = (_name, other._name) switch
            {
                (null, null) => _plainName.Span.SequenceCompareTo(other._plainName.Span),
                (null, { } text) => CompareAscii(_plainName.Span, text),
                ({ } text, null) => -CompareAscii(other._plainName.Span, text),
                ({ } text, { } otherText) => string.CompareOrdinal(text, otherText),
            };
            return order != 0 ? order : _index.CompareTo(other._index);
        }

        private static int CompareAscii(ReadOnlySpan<byte> ascii, string text)
        {
            int common = Math.Min(ascii.Length, text.Length);
            for (int i = 0; i < common; i++)
            {
                if (ascii[i] != text[i])
                {
                    return ascii[i] - text[i];
                }
            }

            return ascii.Length - text.Length;
        }
    }
}
