using System;
using System.Threading;

namespace LlmCache;

/// <summary>
/// A memory entry's canonical key, in a buffer of the store's <see cref="KeyBufferPool"/>, with its remote key
/// (<see cref="CacheOutcome.RemoteKey"/>) formatted when first asked for and kept with the entry: a caller that reads
/// it on every hit (the proxy's <c>x-litellm-cache-key</c>) pays one SHA-256 per entry and integrity setting, not one
/// per hit.
/// </summary>
/// <remarks>
/// When the entry leaves the store, the key is <see cref="Retire">retired</see> and its buffer may be written with
/// another key's bytes, while a hit that found the entry a moment before is still comparing them. So a reader checks,
/// after reading <see cref="Canonical"/>, that the key <see cref="WasIntact">was not retired</see>, and treats a
/// retired one as a miss: a match against another key's bytes must never serve this entry's value. A key handed
/// to a <see cref="CacheOutcome"/> is <see cref="TryKeep">kept</see> instead: its buffer is never reused.
/// </remarks>
internal sealed class StoredKey(byte[] buffer, int length)
{
    private const int Live = 0;
    private const int Kept = 1;
    private const int Retired = 2;

    private int _state;
    private Formatted? _remoteKey;

    /// <summary>The canonical key bytes; another key's once this one is retired, unless it was kept.</summary>
    public ReadOnlySpan<byte> Canonical => buffer.AsSpan(0, length);

    /// <summary>
    /// Whether the bytes this thread just read from <see cref="Canonical"/> were this key's: true unless the key has
    /// been retired. The retirement happens before its buffer is handed to another key (with a full fence), and
    /// the barrier keeps the reads of the bytes before the read of the state, so a reader that saw any byte of
    /// another key also sees the retirement.
    /// </summary>
    public bool WasIntact()
    {
#if NET10_0_OR_GREATER
        Volatile.ReadBarrier();
#else
        Interlocked.MemoryBarrier();
#endif
        return Volatile.Read(ref _state) != Retired;
    }

    /// <summary>
    /// Keeps the buffer from reuse for as long as anything references this key (a <see cref="CacheOutcome"/> reads
    /// it when its remote key is asked for); false when the key was already retired, so the bytes just read may be
    /// another key's. As <see cref="WasIntact"/>, the compare-exchange is also a fence after the reads.
    /// </summary>
    public bool TryKeep() => Interlocked.CompareExchange(ref _state, Kept, Live) != Retired;

    /// <summary>Retires the key as its entry leaves the store; returns its buffer for another key, unless it was kept.</summary>
    public byte[]? Retire() => Interlocked.Exchange(ref _state, Retired) == Live ? buffer : null;

    /// <summary>The remote key under <paramref name="integrity"/>; formatted again only when the runtime's integrity setting has changed. Only for a kept key.</summary>
    public string RemoteKey(StoreIntegrity integrity)
    {
        Formatted? known = Volatile.Read(ref _remoteKey);
        if (known is null || !ReferenceEquals(known.Integrity, integrity))
        {
            // Two hits racing here both format it; either result is the same text.
            known = new Formatted(integrity, integrity.FormatRemoteKey(Canonical));
            Volatile.Write(ref _remoteKey, known);
        }

        return known.Text;
    }

    private sealed class Formatted(StoreIntegrity integrity, string text)
    {
        public StoreIntegrity Integrity { get; } = integrity;

        public string Text { get; } = text;
    }
}
