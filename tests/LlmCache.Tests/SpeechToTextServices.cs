using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

// Microsoft.Extensions.AI's speech-to-text types are experimental (MEAI001); this service caches them.
#pragma warning disable MEAI001

namespace LlmCache.Tests;

/// <summary>A transcription method in three overloads, one per way of carrying the audio: they share entries.</summary>
public sealed partial class TranscriptionService(LlmCacheRuntime cache)
{
    private readonly List<byte[]> _received = new();

    public IReadOnlyList<byte[]> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    public static string TextOf(ReadOnlySpan<byte> audio) => "heard " + Convert.ToHexString(SHA256.HashData(audio));

    [LlmCached]
    public partial Task<SpeechToTextResponse> TranscribeAsync(Stream audio, string language, CacheControl control = default);

    [LlmCached]
    public partial Task<SpeechToTextResponse> TranscribeAsync(byte[] audio, string language, CacheControl control = default);

    [LlmCached]
    public partial Task<SpeechToTextResponse> TranscribeAsync(ReadOnlyMemory<byte> audio, string language, CacheControl control = default);

    private async Task<SpeechToTextResponse> TranscribeAsyncCore(Stream audio, string language)
    {
        using var copy = new MemoryStream();
        await audio.CopyToAsync(copy);
        return Heard(copy.ToArray());
    }

    private Task<SpeechToTextResponse> TranscribeAsyncCore(byte[] audio, string language) => Task.FromResult(Heard(audio));

    private Task<SpeechToTextResponse> TranscribeAsyncCore(ReadOnlyMemory<byte> audio, string language) => Task.FromResult(Heard(audio.ToArray()));

    private SpeechToTextResponse Heard(byte[] audio)
    {
        lock (_received)
        {
            _received.Add(audio);
        }

        return new SpeechToTextResponse(TextOf(audio));
    }
}
