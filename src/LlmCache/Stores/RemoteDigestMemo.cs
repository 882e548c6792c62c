using System;
using System.Threading;

namespace LlmCache;

/// <summary>
/// The remote digests of the keys a runtime read last from a remote tier with no memory tier in front of it, where
/// every call of a key reads the store and so needs the key's digest. Its SHA-256 is most of a hit's own work (a
/// 4.4 KB chat key: 4.5 µs of 8.5); remembered, a key read again costs a comparison of its bytes instead.
/// </summary>
/// <remarks>
/// Direct-mapped by the in-process digest, one key per slot, the latest wins; an entry answers only for the very same
/// key bytes, so a collision of in-process digests costs a SHA-256, never a wrong key. A key is kept the second time
/// its slot sees it, so keys new on every call (misses of new requests) copy nothing: the slot only notes their hash
/// code, and a false match there costs one needless copy. Keys longer than <see cref="MaxKeyLength"/> are not kept,
/// which bounds what the memo holds to about a megabyte.
/// </remarks>
internal sealed class RemoteDigestMemo
{
    private const int Slots = 64;
    private const int MaxKeyLength = 16 * 1024;

    private readonly Entry?[] _entries = new Entry?[Slots];
    private readonly int[] _seen = new int[Slots];

    /// <summary>The digest remembered for <paramref name="key"/>, or <c>null</c>.</summary>
    public byte[]? TryGet(CacheKeyHash hash, ReadOnlySpan<byte> key) =>
        Volatile.Read(ref _entries[SlotOf(hash)]) is { } entry && entry.Hash == hash && key.SequenceEqual(entry.Key) ? entry.Digest : null;

    /// <summary>
    /// Remembers <paramref name="digest"/> (which nobody changes) as <paramref name="key"/>'s, in place of its slot's
    /// key, if the slot saw this key's hash last; else notes the hash for the next time.
    /// </summary>
    public void Offer(CacheKeyHash hash, ReadOnlySpan<byte> key, byte[] digest)
    {
        int slot = SlotOf(hash);
        int code = hash.GetHashCode();
        if (Volatile.Read(ref _seen[slot]) != code)
        {
            Volatile.Write(ref _seen[slot], code);
            return;
        }

        if (key.Length <= MaxKeyLength)
        {
            Volatile.Write(ref _entries[slot], new Entry(hash, key.ToArray(), digest));
        }
    }

    private static int SlotOf(CacheKeyHash hash) => hash.GetHashCode() & (Slots - 1);

    private sealed record Entry(CacheKeyHash Hash, byte[] Key, byte[] Digest);
}
