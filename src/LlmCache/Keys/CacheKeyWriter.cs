using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace LlmCache;

/// <summary>
/// Writes the canonical bytes of a cache key: each value with a type tag and, where its length varies, a length
/// prefix, so that distinct inputs always give distinct bytes (<c>("ab","c")</c> and <c>("a","bc")</c> differ).
/// The generated key builders write through it into stack memory, or into one array sized up front: the thread's
/// own key buffer, or a pooled one.
/// </summary>
/// <remarks>
/// Numbers are little-endian on every machine, so keys that leave the process agree across machines.
/// Call <see cref="Dispose"/> to give the array back; a pooled one is cleared first, because prompts are private
/// (the thread's own buffer never leaves LlmCache).
/// </remarks>
public ref partial struct CacheKeyWriter
{
    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _position;

    // How far bytes were written, even past _position (an abandoned UTF-8 attempt): what Dispose must clear.
    private int _dirty;

    // Whether _rented is the thread's own key buffer (CacheKeyWriter.ThreadBuffer.cs), which goes back uncleared.
    private bool _usesThreadBuffer;

    /// <summary>Writes into <paramref name="buffer"/>, growing into a pooled array if it fills up.</summary>
    public CacheKeyWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _rented = null;
        _position = 0;
    }

    /// <summary>
    /// Writes into <paramref name="stackBuffer"/> when <paramref name="sizeHint"/> fits in it, or else into one
    /// array of at least <paramref name="sizeHint"/> bytes: the thread's own key buffer, or one rented from the shared pool.
    /// </summary>
    public CacheKeyWriter(Span<byte> stackBuffer, int sizeHint)
    {
        if (sizeHint <= stackBuffer.Length)
        {
            _buffer = stackBuffer;
            _rented = null;
        }
        else if (TakeThreadBuffer(sizeHint) is { } own)
        {
            _rented = own;
            _usesThreadBuffer = true;
            _buffer = own;
        }
        else
        {
            _rented = ArrayPool<byte>.Shared.Rent(sizeHint);
            _buffer = _rented;
        }

        _position = 0;
    }

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.Slice(0, _position);

    /// <summary>How many bytes have been written.</summary>
    public readonly int Length => _position;

    /// <summary>An upper bound on the bytes <see cref="WriteString(string?)"/> writes for <paramref name="value"/>.</summary>
    public static int MaxStringSize(string? value) => value is null ? 1 : 5 + (value.Length * 3);

    /// <summary>An upper bound on the bytes <see cref="WriteStream"/> writes for <paramref name="value"/>.</summary>
    public static int MaxStreamSize(Stream? value) =>
        value is { CanSeek: true } ? 5 + (int)Math.Clamp(value.Length - value.Position, 0, int.MaxValue - 64) : 1;

    /// <summary>The size of a fixed-width value with its tag (numbers, dates, <see cref="Guid"/>): at most 17 bytes.</summary>
    public const int MaxScalarSize = 17;

    /// <summary>Writes the namespace the key lives in.</summary>
    public void WriteNamespace(string? @namespace)
    {
        WriteTag(KeyTag.Namespace);
        WriteString(@namespace);
    }

    /// <summary>Writes the method identity, already UTF-8 encoded.</summary>
    public void WriteMethod(ReadOnlySpan<byte> identityUtf8)
    {
        Ensure(5 + identityUtf8.Length);
        _buffer[_position++] = (byte)KeyTag.Method;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position), identityUtf8.Length);
        _position += 4;
        identityUtf8.CopyTo(_buffer.Slice(_position));
        _position += identityUtf8.Length;
    }

    /// <summary>Writes a null marker (for a null reference or an empty <see cref="Nullable{T}"/>).</summary>
    public void WriteNull() => WriteTag(KeyTag.Null);

    /// <summary>Writes a <see cref="bool"/>.</summary>
    public void Write(bool value) => WriteTag(value ? KeyTag.True : KeyTag.False);

    /// <summary>Writes a <see cref="byte"/>.</summary>
    public void Write(byte value)
    {
        Ensure(2);
        _buffer[_position] = (byte)KeyTag.Byte;
        _buffer[_position + 1] = value;
        _position += 2;
    }

    /// <summary>Writes an <see cref="sbyte"/>.</summary>
    public void Write(sbyte value)
    {
        Ensure(2);
        _buffer[_position] = (byte)KeyTag.SByte;
        _buffer[_position + 1] = unchecked((byte)value);
        _position += 2;
    }

    /// <summary>Writes a <see cref="short"/>.</summary>
    public void Write(short value) => WriteFixed(KeyTag.Int16, unchecked((ushort)value));

    /// <summary>Writes a <see cref="ushort"/>.</summary>
    public void Write(ushort value) => WriteFixed(KeyTag.UInt16, value);

    /// <summary>Writes a <see cref="char"/>.</summary>
    public void Write(char value) => WriteFixed(KeyTag.Char, value);

    /// <summary>Writes an <see cref="int"/>.</summary>
    public void Write(int value) => WriteFixed(KeyTag.Int32, unchecked((uint)value));

    /// <summary>Writes a <see cref="uint"/>.</summary>
    public void Write(uint value) => WriteFixed(KeyTag.UInt32, value);

    /// <summary>Writes a <see cref="long"/>.</summary>
    public void Write(long value) => WriteFixed(KeyTag.Int64, unchecked((ulong)value));

    /// <summary>Writes a <see cref="ulong"/>.</summary>
    public void Write(ulong value) => WriteFixed(KeyTag.UInt64, value);

    /// <summary>Writes a <see cref="float"/>; <c>-0</c> is written as <c>0</c> and every NaN alike, so equal values give equal keys.</summary>
    public void Write(float value)
    {
        if (value == 0f)
        {
            value = 0f;
        }
        else if (float.IsNaN(value))
        {
            value = float.NaN;
        }

        WriteFixed(KeyTag.Single, BitConverter.SingleToUInt32Bits(value));
    }

    /// <summary>Writes a <see cref="double"/>; <c>-0</c> is written as <c>0</c> and every NaN alike.</summary>
    public void Write(double value)
    {
        if (value == 0d)
        {
            value = 0d;
        }
        else if (double.IsNaN(value))
        {
            value = double.NaN;
        }

        WriteFixed(KeyTag.Double, BitConverter.DoubleToUInt64Bits(value));
    }

    /// <summary>Writes a <see cref="Half"/>; <c>-0</c> is written as <c>0</c> and every NaN alike.</summary>
    public void Write(Half value) => WriteFixed(KeyTag.Half, BitConverter.HalfToUInt16Bits(Half.IsNaN(value) ? Half.NaN : value == Half.Zero ? Half.Zero : value));

    /// <summary>Writes an <see cref="Int128"/>.</summary>
    public void Write(Int128 value) => WriteFixed128(KeyTag.Int128, (UInt128)value);

    /// <summary>Writes a <see cref="UInt128"/>.</summary>
    public void Write(UInt128 value) => WriteFixed128(KeyTag.UInt128, value);

    /// <summary>Writes a <see cref="decimal"/> without its trailing zeros, so <c>1.0m</c> and <c>1.00m</c> give equal keys.</summary>
    public void Write(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(Normalize(value), bits);
        Ensure(17);
        _buffer[_position++] = (byte)KeyTag.Decimal;
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position), bits[i]);
            _position += 4;
        }
    }

    /// <summary>Writes a <see cref="Guid"/>.</summary>
    public void Write(Guid value)
    {
        Ensure(17);
        _buffer[_position++] = (byte)KeyTag.Guid;
        value.TryWriteBytes(_buffer.Slice(_position));
        _position += 16;
    }

    /// <summary>Writes a <see cref="DateTime"/>: its ticks and its kind.</summary>
    public void Write(DateTime value)
    {
        Ensure(10);
        _buffer[_position++] = (byte)KeyTag.DateTime;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.Slice(_position), value.Ticks);
        _buffer[_position + 8] = (byte)value.Kind;
        _position += 9;
    }

    /// <summary>Writes a <see cref="DateTimeOffset"/>: its local ticks and its offset.</summary>
    public void Write(DateTimeOffset value)
    {
        Ensure(17);
        _buffer[_position++] = (byte)KeyTag.DateTimeOffset;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.Slice(_position), value.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.Slice(_position + 8), value.Offset.Ticks);
        _position += 16;
    }

    /// <summary>Writes a <see cref="TimeSpan"/>.</summary>
    public void Write(TimeSpan value) => WriteFixed(KeyTag.TimeSpan, unchecked((ulong)value.Ticks));

    /// <summary>Writes a <see cref="DateOnly"/>.</summary>
    public void Write(DateOnly value) => WriteFixed(KeyTag.DateOnly, unchecked((uint)value.DayNumber));

    /// <summary>Writes a <see cref="TimeOnly"/>.</summary>
    public void Write(TimeOnly value) => WriteFixed(KeyTag.TimeOnly, unchecked((ulong)value.Ticks));

    /// <summary>Writes an enum value by its underlying number.</summary>
    public void WriteEnum(long value) => WriteFixed(KeyTag.Enum, unchecked((ulong)value));

    /// <summary>Writes an enum value whose underlying type is <see cref="ulong"/>.</summary>
    public void WriteEnum(ulong value) => WriteFixed(KeyTag.Enum, value);

    /// <summary>
    /// Writes a string as UTF-8 with its byte length, or, from <see cref="DigestedStringBytes"/> bytes of UTF-8, as the
    /// SHA-256 of its UTF-8. A string that is not valid UTF-16 (a lone surrogate) is written as its raw UTF-16 code
    /// units under another tag, so it never collides with a different string.
    /// </summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteTag(KeyTag.Null);
            return;
        }

        if (!Utf8StringMemo.Applies(value))
        {
            WriteString(value.AsSpan());
        }
        else if (Utf8StringMemo.Find(value) is { } encoded)
        {
            WriteEncoded(encoded);
        }
        else
        {
            int start = _position;
            WriteString(value.AsSpan());
            Utf8StringMemo.Written(value, _buffer.Slice(start, _position - start));
        }
    }

    /// <summary>Writes characters the way <see cref="WriteString(string?)"/> writes a string.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        Ensure(5 + (value.Length * 3));
        Span<byte> target = _buffer.Slice(_position + 5);

        // Names, roles and descriptions are short and ASCII: narrowing them skips most of the transcoder's set-up.
        // Its UTF-8 is the same bytes; text that is not ASCII falls through and is transcoded over what was narrowed.
        if (value.Length <= MaxNarrowedLength && IsNarrowedAscii(value, target))
        {
            _buffer[_position] = (byte)KeyTag.String;
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), value.Length);
            _position += 5 + value.Length;
            return;
        }

        OperationStatus status = Utf8.FromUtf16(value, target, out _, out int written, replaceInvalidSequences: false, isFinalBlock: true);
        if (status == OperationStatus.Done)
        {
            EndUtf8String(written);
            return;
        }

        // Invalid UTF-16: Encoding.UTF8 would map every lone surrogate to U+FFFD and make "x\uD800" equal "x\uDC00".
        _dirty = Math.Max(_dirty, _position + 5 + written);
        WriteUtf16CodeUnits(value);
    }

    /// <summary>
    /// Strings of this many UTF-8 bytes or more (a system prompt, a document) enter the key as the SHA-256 of their
    /// UTF-8 under <see cref="KeyTag.StringDigest"/>, whichever way they are written: the key stays short, so the
    /// in-process digest, the comparison with the stored key, the copy the memory tier keeps and the remote tier's
    /// SHA-256 all run over 33 bytes instead of the text. The hash is paid when a string is written afresh;
    /// <see cref="Utf8StringMemo"/> remembers the 33 bytes of an instance written again. Below this length the text
    /// costs little to carry and the hash's fixed cost would be a large part of writing it.
    /// </summary>
    public const int DigestedStringBytes = 2048;

    /// <summary>
    /// Ends a string whose <paramref name="length"/> bytes of valid UTF-8 were written after room for its tag and
    /// length (at <c>_position + 5</c>): under its length, or, if long, replaced by its digest.
    /// </summary>
    private void EndUtf8String(int length)
    {
        if (length < DigestedStringBytes)
        {
            _buffer[_position] = (byte)KeyTag.String;
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), length);
            _position += 5 + length;
            return;
        }

        // The text stays in the buffer past the digest: Dispose clears it with the rest.
        _dirty = Math.Max(_dirty, _position + 5 + length);
        WriteStringDigest(_buffer.Slice(_position + 5, length));
    }

    /// <summary>Writes the <see cref="KeyTag.StringDigest"/> form of <paramref name="utf8"/>, which may lie in the buffer just past it.</summary>
    private void WriteStringDigest(ReadOnlySpan<byte> utf8) => WriteDigest(KeyTag.StringDigest, utf8);

    /// <summary>
    /// Writes <paramref name="tag"/> and the SHA-256 of <paramref name="data"/>, which may lie in the buffer at or past
    /// the position: it is hashed before anything is written or the buffer grows.
    /// </summary>
    private void WriteDigest(KeyTag tag, ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        CacheKeyDigests.Sha256(data, digest);
        Ensure(1 + SHA256.HashSizeInBytes);
        _buffer[_position] = (byte)tag;
        digest.CopyTo(_buffer.Slice(_position + 1));
        _position += 1 + SHA256.HashSizeInBytes;
    }

    /// <summary>Writes bytes with their length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(5 + value.Length);
        _buffer[_position] = (byte)KeyTag.Bytes;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), value.Length);
        value.CopyTo(_buffer.Slice(_position + 5));
        _position += 5 + value.Length;
    }

    /// <summary>Writes bytes with their length, or a null marker.</summary>
    public void WriteBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        WriteBytes(value.AsSpan());
    }

    /// <summary>
    /// Writes a stream's content from its current position to its end, then puts the position back, so the
    /// implementation reads the same content. Audio and file inputs are keyed by what they hold: the bytes are those
    /// <see cref="WriteBytes(ReadOnlySpan{byte})"/> writes for the same content, so a stream, a <c>byte[]</c> and a
    /// <c>ReadOnlyMemory&lt;byte&gt;</c> of the same audio give one key.
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot seek, so it cannot be read twice.</exception>
    public void WriteStream(Stream? value, string parameterName)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        if (!value.CanSeek)
        {
            throw new ArgumentException(
                $"LlmCache keys the stream parameter '{parameterName}' by its content, which needs a seekable stream (CanSeek is false). " +
                "Buffer it first (for example into a MemoryStream), or mark the parameter [NotCacheKey].",
                parameterName);
        }

        long start = value.Position;
        long remaining = value.Length - start;
        if (remaining > int.MaxValue - 64)
        {
            throw new ArgumentException($"The stream parameter '{parameterName}' is too large to key by content ({remaining} bytes).", parameterName);
        }

        int length = (int)Math.Max(0, remaining);
        Ensure(5 + length);
        _buffer[_position] = (byte)KeyTag.Bytes;
        Span<byte> target = _buffer.Slice(_position + 5, length);
        int read = 0;
        while (read < length)
        {
            int n = value.Read(target.Slice(read));
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        value.Position = start;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), read);
        _position += 5 + read;
    }

    /// <summary>Starts a list of <paramref name="count"/> items; write each item after it.</summary>
    public void BeginList(int count) => WriteFixed(KeyTag.List, unchecked((uint)count));

    /// <summary>Starts an unordered map of <paramref name="count"/> entries; write each key and value after it, in a canonical order.</summary>
    public void BeginMap(int count) => WriteFixed(KeyTag.Map, unchecked((uint)count));

    /// <summary>Starts a non-null object of <paramref name="memberCount"/> members; write each member after it.</summary>
    public void BeginObject(int memberCount) => WriteFixed(KeyTag.Object, unchecked((uint)memberCount));

    /// <summary>
    /// Starts a non-null object whose first member is a kind byte: the bytes of <see cref="BeginObject(int)"/> then
    /// <see cref="Write(byte)"/>, in one step (the Microsoft.Extensions.AI writers start every content and tool so).
    /// </summary>
    internal void BeginObject(int memberCount, byte kind)
    {
        Ensure(7);
        Span<byte> target = _buffer.Slice(_position, 7);
        target[0] = (byte)KeyTag.Object;
        BinaryPrimitives.WriteUInt32LittleEndian(target.Slice(1), unchecked((uint)memberCount));
        target[5] = (byte)KeyTag.Byte;
        target[6] = kind;
        _position += 7;
    }

    /// <summary>
    /// Writes the elements of an unordered collection (a set, or a dictionary's entries) in a canonical order:
    /// each element's own key bytes, sorted. Equal collections give equal keys whatever their iteration order.
    /// </summary>
    /// <param name="elements">Each element's key bytes, as written by a separate writer; sorted in place.</param>
    public void WriteUnordered(byte[][] elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        Array.Sort(elements, static (a, b) => a.AsSpan().SequenceCompareTo(b));
        BeginMap(elements.Length);
        foreach (byte[] element in elements)
        {
            Ensure(element.Length);
            element.CopyTo(_buffer.Slice(_position));
            _position += element.Length;
        }
    }

    /// <summary>
    /// Starts an unordered collection of <paramref name="count"/> elements written straight into this writer:
    /// call <see cref="BeginUnorderedElement"/> before each element and <see cref="EndUnordered"/> after the last.
    /// The bytes are those of <see cref="WriteUnordered"/> for the same elements, without an array per element.
    /// </summary>
    public UnorderedKeyElements BeginUnordered(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BeginMap(count);
        return new UnorderedKeyElements(count == 0 ? null : ArrayPool<int>.Shared.Rent((2 * count) + 1), count);
    }

    /// <summary>Marks where the next element of the collection <see cref="BeginUnordered"/> started begins.</summary>
    /// <exception cref="InvalidOperationException">More elements than the count (the collection changed while it was written).</exception>
    public readonly void BeginUnorderedElement(ref UnorderedKeyElements elements)
    {
        if (elements.Written >= elements.Count)
        {
            throw new InvalidOperationException($"An unordered key input has more elements than the {elements.Count} it counted: it changed while its key was written.");
        }

        elements.Positions![elements.Written++] = _position;
    }

    /// <summary>Puts the elements written since <see cref="BeginUnordered"/> in their canonical order: their own bytes, sorted.</summary>
    /// <exception cref="InvalidOperationException">Fewer elements than the count (the collection changed while it was written).</exception>
    public void EndUnordered(ref UnorderedKeyElements elements)
    {
        UnorderedKeyElements ended = elements;
        elements = default;
        if (ended.Written != ended.Count)
        {
            throw new InvalidOperationException($"An unordered key input has {ended.Written} elements, not the {ended.Count} it counted: it changed while its key was written.");
        }

        if (ended.Positions is not { } positions)
        {
            return;
        }

        int count = ended.Count;
        positions[count] = _position;
        int start = positions[0];
        int length = _position - start;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(length);
        Span<byte> bytes = scratch.AsSpan(0, length);
        _buffer.Slice(start, length).CopyTo(bytes);
        Span<int> order = positions.AsSpan(count + 1, count);
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        UnorderedKeyElements.Sort(order, positions.AsSpan(0, count + 1), bytes);
        int at = start;
        foreach (int index in order)
        {
            int elementLength = positions[index + 1] - positions[index];
            bytes.Slice(positions[index] - start, elementLength).CopyTo(_buffer.Slice(at));
            at += elementLength;
        }

        // The scratch copy holds prompt bytes too.
        bytes.Clear();
        ArrayPool<byte>.Shared.Return(scratch);
        ArrayPool<int>.Shared.Return(positions);
    }

    /// <summary>
    /// Replaces what was written from <paramref name="start"/> on (one whole value) by its <see cref="KeyTag.SchemaDigest"/>
    /// form: the tag and the SHA-256 of those bytes.
    /// </summary>
    internal void DigestSchemaSince(int start)
    {
        ReadOnlySpan<byte> schema = _buffer.Slice(start, _position - start);

        // The schema's bytes stay in the buffer past the digest: Dispose clears them with the rest.
        _dirty = Math.Max(_dirty, _position);
        _position = start;
        WriteDigest(KeyTag.SchemaDigest, schema);
    }

    /// <summary>Writes bytes that are already a whole key value, as a writer wrote them (a remembered schema).</summary>
    internal void WriteEncoded(ReadOnlySpan<byte> encoded)
    {
        Ensure(encoded.Length);
        encoded.CopyTo(_buffer.Slice(_position));
        _position += encoded.Length;
    }

    /// <summary>A copy of the bytes written so far, then the rented buffer returned (for one element of an unordered collection).</summary>
    public byte[] ToArrayAndDispose()
    {
        byte[] bytes = WrittenSpan.ToArray();
        Dispose();
        return bytes;
    }

    /// <summary>Writes a value that writes itself, or a null marker.</summary>
    public void WriteCustom<T>(T? value)
        where T : ICacheKeyWritable
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        WriteTag(KeyTag.Custom);
        int lengthAt = _position;
        Ensure(4);
        _position += 4;
        value.WriteCacheKey(ref this);

        // The length prefix keeps a custom writer's output from running into the next value.
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(lengthAt), _position - lengthAt - 4);
    }

    /// <summary>
    /// Returns a rented buffer to the pool, with the bytes written into it cleared (prompts are private), or the
    /// thread's own key buffer to the thread.
    /// </summary>
    public void Dispose()
    {
        byte[]? rented = _rented;
        if (rented is not null && _usesThreadBuffer)
        {
            _usesThreadBuffer = false;
            _rented = null;
            _buffer = default;
            ReleaseThreadBuffer();
        }
        else if (rented is not null)
        {
            // Clearing what was written, not the whole (larger) pooled array, is most of a 4 KB key's saving.
            rented.AsSpan(0, Math.Min(rented.Length, Math.Max(_position, _dirty))).Clear();
            _rented = null;
            _buffer = default;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // Up to this length a loop beats the transcoder's set-up; longer ASCII text goes through its vectorized narrowing.
    private const int MaxNarrowedLength = 16;

    private static bool IsNarrowedAscii(ReadOnlySpan<char> value, Span<byte> target)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c > 0x7F)
            {
                return false;
            }

            target[i] = (byte)c;
        }

        return true;
    }

    private void WriteUtf16CodeUnits(ReadOnlySpan<char> value)
    {
        Ensure(5 + (value.Length * 2));
        _buffer[_position] = (byte)KeyTag.StringUtf16;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(_position + 1), value.Length);
        _position += 5;
        for (int i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.Slice(_position), value[i]);
            _position += 2;
        }
    }

    private static decimal Normalize(decimal value)
    {
        // Dividing by 1.000...0 (28 zeros) drops the trailing zeros of the scale without changing the value.
        return value / 1.0000000000000000000000000000m;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteTag(KeyTag tag)
    {
        Ensure(1);
        _buffer[_position++] = (byte)tag;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteFixed(KeyTag tag, ushort value)
    {
        Ensure(3);
        _buffer[_position] = (byte)tag;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.Slice(_position + 1), value);
        _position += 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteFixed(KeyTag tag, uint value)
    {
        Ensure(5);
        _buffer[_position] = (byte)tag;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.Slice(_position + 1), value);
        _position += 5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteFixed(KeyTag tag, ulong value)
    {
        Ensure(9);
        _buffer[_position] = (byte)tag;
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.Slice(_position + 1), value);
        _position += 9;
    }

    private void WriteFixed128(KeyTag tag, UInt128 value)
    {
        Ensure(17);
        _buffer[_position] = (byte)tag;
        BinaryPrimitives.WriteUInt128LittleEndian(_buffer.Slice(_position + 1), value);
        _position += 17;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        long needed = (long)_position + count;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"A cache key cannot exceed {Array.MaxLength} bytes.");
        }

        int size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2));

        // A key that outgrows stack memory, or the thread's buffer, moves into the thread's buffer (made larger if
        // need be, and kept so for the thread's next keys): size hints may be rough without costing a copy per key.
        if (_rented is null || _usesThreadBuffer)
        {
            byte[]? own = _usesThreadBuffer ? EnlargeThreadBuffer(size) : TakeThreadBuffer(size);
            if (own is not null)
            {
                _buffer.Slice(0, _position).CopyTo(own);
                _rented = own;
                _usesThreadBuffer = true;
                _buffer = own;
                return;
            }
        }

        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        _buffer.Slice(0, _position).CopyTo(next);
        Dispose();
        _rented = next;
        _buffer = next;
    }
}
