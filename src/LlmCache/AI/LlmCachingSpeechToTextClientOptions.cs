namespace LlmCache.AI;

/// <summary>How <see cref="LlmCachingSpeechToTextClient"/> caches.</summary>
public sealed class LlmCachingSpeechToTextClientOptions
{
    /// <summary>The default <see cref="MaxBufferedAudioBytes"/>: 25 MiB, the largest file OpenAI's transcription endpoint accepts.</summary>
    public const long DefaultMaxBufferedAudioBytes = 25L * 1024 * 1024;

    /// <summary>Where entries are kept; the runtime's default type unless set.</summary>
    public CacheType Type { get; set; }

    /// <summary>The TTL in seconds; 0 for the store's default.</summary>
    public int Ttl { get; set; }

    /// <summary>The namespace, or <c>null</c> for the runtime's.</summary>
    public string? Namespace { get; set; }

    /// <summary>Part of every key: change it to retire the entries this middleware stored.</summary>
    public int KeyVersion { get; set; }

    /// <summary>
    /// The most bytes of a non-seekable audio stream read into memory to key it by its content. A longer stream is
    /// not cached: the call goes to the inner client (with every byte of the stream) and a warning says why.
    /// Seekable streams are read in place and have no limit.
    /// </summary>
    public long MaxBufferedAudioBytes { get; set; } = DefaultMaxBufferedAudioBytes;
}
