using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace LlmCache;

// JSON text read straight from a JsonElement's UTF-8 bytes: no string is made on the hit path.
public ref partial struct CacheKeyWriter
{
    /// <summary>
    /// Writes a JSON string, given as its raw UTF-8 token with or without quotes, as the string it stands for:
    /// unescaped, under the same tag and form as <see cref="WriteString(string?)"/>, so the JSON string "a" and
    /// the .NET string "a" give equal bytes.
    /// </summary>
    internal void WriteJsonString(ReadOnlySpan<byte> raw)
    {
        bool quoted = raw.Length >= 2 && raw[0] == (byte)'"';
        ReadOnlySpan<byte> inner = quoted ? raw.Slice(1, raw.Length - 2) : raw;
        if (inner.IndexOf((byte)'\\') < 0)
        {
            WriteUtf8String(inner);
            return;
        }

        // An escaped token: the reader unescapes it into the key buffer (never longer than the escaped form).
        byte[]? rented = null;
        ReadOnlySpan<byte> token = raw;
        if (!quoted)
        {
            rented = ArrayPool<byte>.Shared.Rent(inner.Length + 2);
            rented[0] = (byte)'"';
            inner.CopyTo(rented.AsSpan(1));
            rented[inner.Length + 1] = (byte)'"';
            token = rented.AsSpan(0, inner.Length + 2);
        }

        try
        {
            var reader = new Utf8JsonReader(token);
            reader.Read();
            Ensure(5 + inner.Length);
            EndUtf8String(reader.CopyString(_buffer.Slice(_position + 5)));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>Writes a JSON number by its text, under its own tag (the number 1 never equals the string "1").</summary>
    internal void WriteJsonNumber(ReadOnlySpan<byte> raw)
    {
        Ensure(5 + raw.Length);
        _buffer[_position] = (byte)KeyTag.JsonNumber;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), raw.Length);
        raw.CopyTo(_buffer.Slice(_position + 5));
        _position += 5 + raw.Length;
    }

    /// <summary>Writes valid UTF-8 text as <see cref="WriteString(string?)"/> writes a string.</summary>
    private void WriteUtf8String(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= DigestedStringBytes)
        {
            WriteStringDigest(utf8);
            return;
        }

        Ensure(5 + utf8.Length);
        _buffer[_position] = (byte)KeyTag.String;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), utf8.Length);
        utf8.CopyTo(_buffer.Slice(_position + 5));
        _position += 5 + utf8.Length;
    }
}
