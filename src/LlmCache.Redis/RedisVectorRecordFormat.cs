using System;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace LlmCache.Redis;

/// <summary>
/// The binary form of a <see cref="VectorRecord"/> in Redis: magic "LV", format version, a zero byte, expires-at
/// (Unix milliseconds, little-endian, <see cref="long.MaxValue"/> for never), namespace, scope, id and text (each a
/// little-endian 32-bit byte count and UTF-8), the dimension count and the vector (little-endian float32), and an
/// XxHash64 checksum of everything before it. Decoding never throws: anything else is unreadable.
/// </summary>
internal static class RedisVectorRecordFormat
{
    public const byte FormatVersion = 1;

    private const int HeaderLength = 12;
    private const int ChecksumLength = 8;
    private const long NoExpiry = long.MaxValue;

    public static byte[] Encode(VectorRecord record)
    {
        ReadOnlySpan<float> vector = record.Vector.Span;
        int length = HeaderLength + Utf8Length(record.Namespace) + Utf8Length(record.Scope) + Utf8Length(record.Id) +
            Utf8Length(record.Text) + sizeof(int) + (vector.Length * sizeof(float)) + ChecksumLength;
        byte[] buffer = new byte[length];
        Span<byte> span = buffer;
        span[0] = (byte)'L';
        span[1] = (byte)'V';
        span[2] = FormatVersion;
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(4), record.ExpiresAt?.ToUnixTimeMilliseconds() ?? NoExpiry);
        int at = HeaderLength;
        at += WriteString(span.Slice(at), record.Namespace);
        at += WriteString(span.Slice(at), record.Scope);
        at += WriteString(span.Slice(at), record.Id);
        at += WriteString(span.Slice(at), record.Text);
        BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at), vector.Length);
        at += sizeof(int);
        foreach (float value in vector)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span.Slice(at), value);
            at += sizeof(float);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(at), XxHash64.HashToUInt64(span.Slice(0, at)));
        return buffer;
    }

    /// <summary>Decodes a stored record; <c>false</c> for anything that is not an intact record of a known version.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> stored, out VectorRecord record)
    {
        record = default;
        if (stored.Length < HeaderLength + ChecksumLength || stored[0] != (byte)'L' || stored[1] != (byte)'V' || stored[2] != FormatVersion || stored[3] != 0)
        {
            return false;
        }

        int checksumAt = stored.Length - ChecksumLength;
        if (BinaryPrimitives.ReadUInt64LittleEndian(stored.Slice(checksumAt)) != XxHash64.HashToUInt64(stored.Slice(0, checksumAt)))
        {
            return false;
        }

        long expiresAt = BinaryPrimitives.ReadInt64LittleEndian(stored.Slice(4));
        ReadOnlySpan<byte> body = stored.Slice(HeaderLength, checksumAt - HeaderLength);
        if (!TryReadString(ref body, out string? @namespace) || !TryReadString(ref body, out string? scope) ||
            !TryReadString(ref body, out string? id) || !TryReadString(ref body, out string? text) || body.Length < sizeof(int))
        {
            return false;
        }

        int dimensions = BinaryPrimitives.ReadInt32LittleEndian(body);
        body = body.Slice(sizeof(int));
        if (dimensions < 0 || (long)dimensions * sizeof(float) != body.Length)
        {
            return false;
        }

        float[] vector = new float[dimensions];
        if (BitConverter.IsLittleEndian)
        {
            body.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            for (int i = 0; i < dimensions; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(body.Slice(i * sizeof(float)));
            }
        }

        DateTimeOffset? expires = null;
        if (expiresAt != NoExpiry)
        {
            if (expiresAt < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || expiresAt > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return false;
            }

            expires = DateTimeOffset.FromUnixTimeMilliseconds(expiresAt);
        }

        record = new VectorRecord(@namespace!, scope!, id!, vector, text!, expires);
        return true;
    }

    /// <summary>The checksum a stored record ends with: equal checksums, the same record.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> stored) =>
        stored.Length < ChecksumLength ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(stored.Slice(stored.Length - ChecksumLength));

    private static int Utf8Length(string text) => sizeof(int) + Encoding.UTF8.GetByteCount(text);

    private static int WriteString(Span<byte> destination, string text)
    {
        int written = Encoding.UTF8.GetBytes(text, destination.Slice(sizeof(int)));
        BinaryPrimitives.WriteInt32LittleEndian(destination, written);
        return sizeof(int) + written;
    }

    private static bool TryReadString(ref ReadOnlySpan<byte> body, out string? text)
    {
        text = null;
        if (body.Length < sizeof(int))
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (length < 0 || length > body.Length - sizeof(int))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(body.Slice(sizeof(int), length));
        body = body.Slice(sizeof(int) + length);
        return true;
    }
}
