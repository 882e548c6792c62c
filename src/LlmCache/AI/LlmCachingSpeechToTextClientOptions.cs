namespace LlmCache.AI;

/// <summary>How <see cref="LlmCachingSpeechToTextClient"/> caches.</summary>
public sealed class LlmCachingSpeechToTextClientOptions
{
    /// <summary>Where entries are kept; the runtime's default type unless set.</summary>
    public CacheType Type { get; set; }

    /// <summary>The TTL in seconds; 0 for the store's default.</summary>
    public int Ttl { get; set; }

    /// <summary>The namespace, or <c>null</c> for the runtime's.</summary>
    public string? Namespace { get; set; }

    /// <summary>Part of every key: change it to retire the entries this middleware stored.</summary>
    public int KeyVersion { get; set; }

    /// <summary>
    /// The most bytes of a non-seekable audio stream read into memory to key it by its content; <c>null</c> for the
    /// runtime's <see cref="LlmCacheOptions.MaxBufferedAudioBytes"/> (25 MiB by default). A longer stream is not cached:
    /// the call goes to the inner client (with every byte of the stream) and a warning says why. Seekable streams are
    /// read in place and have no limit.
    /// </summary>
    public long? MaxBufferedAudioBytes { get; set; }
}
