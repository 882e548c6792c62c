using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using LlmCache.AI;
using Microsoft.Extensions.Logging;

namespace LlmCache;

public sealed partial class LlmCacheRuntime
{
    /// <summary>
    /// Generated code: makes a speech-to-text method's audio stream keyable by its content. A seekable stream is
    /// returned as it is; a non-seekable one is read into memory once, up to <see cref="LlmCacheOptions.MaxBufferedAudioBytes"/>,
    /// and returned as a memory stream of the same bytes. A longer one is returned as a stream of every byte (what was
    /// read, then the rest), with <paramref name="cacheable"/> <c>false</c>: the call bypasses the cache, reported as
    /// <see cref="CacheOutcomeStatus.Bypassed"/> and logged (warning event 30, no content).
    /// </summary>
    /// <remarks>The read is synchronous, on the caller's thread, as the generated method builds its key before it returns.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [return: NotNullIfNotNull(nameof(audio))]
    public Stream? BufferAudio<T>(CachedMethod<T> method, in CacheControl control, Stream? audio, out bool cacheable)
    {
        RuntimeState runtime = _state;
        cacheable = AudioBuffer.TryBuffer(ref audio, runtime.Options.MaxBufferedAudioBytes);
        if (!cacheable)
        {
            LlmCacheLog.AudioTooLongToBuffer(runtime.Logger, method.Identity, runtime.Options.MaxBufferedAudioBytes);
            control.Outcome?.RecordBypassed();
        }

        return audio;
    }

    /// <summary>The current <see cref="LlmCacheOptions.MaxBufferedAudioBytes"/>.</summary>
    internal long MaxBufferedAudioBytes => _state.Options.MaxBufferedAudioBytes;

    /// <summary>The logger of the current configuration, for the middleware's own warnings.</summary>
    internal ILogger Logger => _state.Logger;
}

internal static partial class LlmCacheLog
{
    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "LlmCache bypassed the cache for {Method}: the audio stream cannot seek and holds more than {Limit} bytes, the most it reads into memory to key audio by its content. Pass a seekable stream (a file or memory stream), or raise MaxBufferedAudioBytes.")]
    public static partial void AudioTooLongToBuffer(ILogger logger, string method, long limit);
}
