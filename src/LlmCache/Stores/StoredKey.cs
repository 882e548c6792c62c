using System.Threading;

namespace LlmCache;

/// <summary>
/// A memory entry's canonical key, with its remote key (<see cref="CacheOutcome.RemoteKey"/>) formatted when first
/// asked for and kept with the entry: a caller that reads it on every hit (the proxy's <c>x-litellm-cache-key</c>)
/// pays one SHA-256 per entry and integrity setting, not one per hit.
/// </summary>
internal sealed class StoredKey(byte[] canonical)
{
    private Formatted? _remoteKey;

    /// <summary>The canonical key bytes, never changed.</summary>
    public byte[] Canonical { get; } = canonical;

    /// <summary>The remote key under <paramref name="integrity"/>; formatted again only when the runtime's integrity setting has changed.</summary>
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
