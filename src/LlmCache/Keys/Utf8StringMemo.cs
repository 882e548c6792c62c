using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace LlmCache;

/// <summary>
/// The key bytes of long strings that come back as the same instance (a system prompt in a static field, the
/// messages of a conversation history sent again), remembered by reference: the next key copies them instead of
/// transcoding the text to UTF-8 again, or, for a string the key holds as its SHA-256
/// (<see cref="CacheKeyWriter.DigestedStringBytes"/>), instead of hashing it again.
/// </summary>
/// <remarks>
/// <para>
/// A .NET string never changes, so the same reference always has the same text and the remembered bytes are exactly
/// those <see cref="CacheKeyWriter.WriteString(string?)"/> writes for it (mutating a string through unsafe code
/// breaks every string invariant of the runtime, this one too). A string with the same text in another instance is
/// written afresh.
/// </para>
/// <para>
/// A string is remembered the second time its instance is written, so requests whose strings are new on every call
/// (deserialized from a request body) allocate nothing here. A fixed table of 64 remembered and 64 once-seen strings of
/// 128 to 16,384 characters bounds the memory (under 8 MB); reads take no lock, entries are immutable and swapped whole.
/// </para>
/// </remarks>
internal static class Utf8StringMemo
{
    /// <summary>Shorter strings transcode about as fast as the lookup; a message of a few sentences is already worth copying.</summary>
    public const int MinLength = 128;

    private const int MaxLength = 16 * 1024;

    // A power of two; each string may sit in either slot of its pair.
    private const int Slots = 64;

    private static readonly Entry?[] Remembered = new Entry?[Slots];
    private static readonly string?[] SeenOnce = new string?[Slots];

    /// <summary>Whether <paramref name="value"/> is long enough to be remembered.</summary>
    public static bool Applies(string value) => value.Length is >= MinLength and <= MaxLength;

    /// <summary>The bytes remembered for this very instance, or null.</summary>
    public static byte[]? Find(string value)
    {
        int slot = SlotOf(value);
        if (Volatile.Read(ref Remembered[slot]) is { } first && ReferenceEquals(first.Source, value))
        {
            return first.Encoded;
        }

        return Volatile.Read(ref Remembered[slot ^ 1]) is { } second && ReferenceEquals(second.Source, value) ? second.Encoded : null;
    }

    /// <summary>Notes that <paramref name="value"/> was written as <paramref name="encoded"/>; remembers it if this instance was written before.</summary>
    public static void Written(string value, ReadOnlySpan<byte> encoded)
    {
        int slot = SlotOf(value);
        if (!ReferenceEquals(Volatile.Read(ref SeenOnce[slot]), value))
        {
            Volatile.Write(ref SeenOnce[slot], value);
            return;
        }

        Volatile.Write(ref SeenOnce[slot], null);
        var entry = new Entry(value, encoded.ToArray());
        int target = Volatile.Read(ref Remembered[slot]) is null ? slot : Volatile.Read(ref Remembered[slot ^ 1]) is null ? slot ^ 1 : slot;
        Volatile.Write(ref Remembered[target], entry);
    }

    // The identity hash of the instance: its text is never read here.
    private static int SlotOf(string value) => (int)(((uint)RuntimeHelpers.GetHashCode(value) * 0x9E3779B9u) >> 26);

    /// <summary>A string and the key bytes it writes.</summary>
    private sealed class Entry(string source, byte[] encoded)
    {
        public string Source { get; } = source;

        public byte[] Encoded { get; } = encoded;
    }
}
