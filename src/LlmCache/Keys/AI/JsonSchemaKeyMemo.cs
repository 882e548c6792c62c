using System;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;

namespace LlmCache.AI;

/// <summary>
/// The key bytes of the JSON schemas a request declares (tool parameter and return schemas, a response format's
/// schema), remembered by the schema's UTF-8 text. A schema enters the key as the SHA-256 of its canonical form
/// (<see cref="KeyTag.SchemaDigest"/>, 33 bytes): writing it canonically sorts every object's properties and is most of
/// the cost of keying a request with tools, the same tools come back on every call, and their digest rather than
/// their text keeps the key short (the 4.4 KB benchmark request's key, from 2,603 to 1,909 bytes), so every
/// digest and copy of it is shorter.
/// </summary>
/// <remarks>
/// <para>
/// The memo is keyed by content, not by the tool or element instance, and each entry is checked against the text of
/// the element being written, byte for byte, before it is used. So it is right for any tool class, mutable or not,
/// and for a tool made anew on every request: the canonical bytes are a function of the JSON text alone, and the
/// written bytes are the digest of exactly those <see cref="AIValueKeyWriter.WriteJson(ref CacheKeyWriter, JsonElement)"/>
/// writes, whether the memo has the schema or not.
/// </para>
/// <para>
/// A fixed table of 512 entries of schemas up to 8 KB bounds its memory; a schema that finds no free slot near its hash
/// replaces one, so a churn of ever-new schemas costs an entry per miss, never unbounded growth. Reads take no lock
/// and allocate nothing; entries are immutable and swapped whole.
/// </para>
/// </remarks>
internal static class JsonSchemaKeyMemo
{
    // A power of two; with Probe slots tried per schema, a hundred or so distinct schemas rarely evict each other.
    private const int Slots = 512;
    private const int Probe = 4;

    // Larger schemas are written and digested afresh each time, so the table holds at most about 4 MB (512 texts and digests).
    private const int MaxRememberedLength = 8 * 1024;

    private static readonly Entry?[] Table = new Entry?[Slots];

    // Per process, so that which schemas share slots differs from run to run.
    private static readonly long Seed = Random.Shared.NextInt64();

    /// <summary>
    /// Writes <paramref name="schema"/> as the digest of what <see cref="AIValueKeyWriter.WriteJson(ref CacheKeyWriter, JsonElement)"/>
    /// writes for it; a schema of one token (<c>true</c>, <c>false</c>, <c>null</c>, none) as that token.
    /// </summary>
    public static void Write(ref CacheKeyWriter writer, JsonElement schema)
    {
        if (schema.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False)
        {
            AIValueKeyWriter.WriteJson(ref writer, schema);
            return;
        }

        ReadOnlySpan<byte> text = JsonMarshal.GetRawUtf8Value(schema);
        ulong hash = Sample(text);
        int home = (int)(hash & (Slots - 1));
        for (int i = 0; i < Probe; i++)
        {
            if (Volatile.Read(ref Table[(home + i) & (Slots - 1)]) is { } entry && entry.Hash == hash && text.SequenceEqual(entry.Text))
            {
                writer.WriteEncoded(entry.Key);
                return;
            }
        }

        int start = writer.Length;
        AIValueKeyWriter.WriteJson(ref writer, schema);
        writer.DigestSchemaSince(start);
        if (text.Length <= MaxRememberedLength)
        {
            Remember(home, new Entry(hash, text.ToArray(), writer.WrittenSpan.Slice(start).ToArray()));
        }
    }

    /// <summary>Writes <paramref name="schema"/>, or a null marker.</summary>
    public static void Write(ref CacheKeyWriter writer, JsonElement? schema)
    {
        if (schema is { } value)
        {
            Write(ref writer, value);
        }
        else
        {
            writer.WriteNull();
        }
    }

    /// <summary>
    /// A slot hash from the text's length and four words spread over it, not from every byte: hashing the whole text
    /// would cost as much as comparing it, and the comparison that confirms an entry reads every byte anyway. Schemas
    /// that agree on these samples only share their slots.
    /// </summary>
    private static ulong Sample(ReadOnlySpan<byte> text)
    {
        if (text.Length < 32)
        {
            return XxHash3.HashToUInt64(text, Seed);
        }

        int quarter = text.Length / 4;
        ulong hash = (ulong)text.Length ^ (ulong)Seed;
        hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(text.Slice(quarter)));
        hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(text.Slice(2 * quarter)));
        hash = Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(text.Slice(3 * quarter)));
        return Mix(hash, BinaryPrimitives.ReadUInt64LittleEndian(text.Slice(text.Length - 8)));
    }

    private static ulong Mix(ulong hash, ulong word)
    {
        hash = (hash ^ word) * 0x9E3779B97F4A7C15UL;
        return hash ^ (hash >> 29);
    }

    private static void Remember(int home, Entry entry)
    {
        for (int i = 0; i < Probe; i++)
        {
            int slot = (home + i) & (Slots - 1);
            if (Volatile.Read(ref Table[slot]) is null && Interlocked.CompareExchange(ref Table[slot], entry, null) is null)
            {
                return;
            }
        }

        // Every nearby slot is taken: the newest schema replaces one of them, chosen by its hash.
        Volatile.Write(ref Table[(home + (int)((entry.Hash >> 32) % Probe)) & (Slots - 1)], entry);
    }

    /// <summary>A schema's text and the key bytes it writes.</summary>
    private sealed class Entry(ulong hash, byte[] text, byte[] key)
    {
        public ulong Hash { get; } = hash;

        public byte[] Text { get; } = text;

        public byte[] Key { get; } = key;
    }
}
