using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

// Microsoft.Extensions.AI marks its speech-to-text abstractions experimental (MEAI001); this file exists to cache
// them, so it uses them knowingly; an app sees MEAI001 where it uses those types itself.
#pragma warning disable MEAI001

namespace LlmCache.AI;

/// <summary>
/// A speech-to-text client that caches transcriptions through an <see cref="LlmCacheRuntime"/>, keyed by the audio's
/// content: the same audio from a file stream, a memory stream or a <see cref="DataContent"/> (which MEAI hands over
/// as a memory stream) is one entry. Same stores, single flight, fail-open and outcome reporting as <see cref="LlmCachedAttribute"/> methods.
/// </summary>
/// <remarks>
/// <para>
/// The key is the middleware's identity, the inner client's provider name, address and default model, the options'
/// <see cref="SpeechToTextOptions.ModelId"/>, <see cref="SpeechToTextOptions.SpeechLanguage"/>,
/// <see cref="SpeechToTextOptions.SpeechSampleRate"/>, <see cref="SpeechToTextOptions.TextLanguage"/> and additional
/// properties (in key order), and the audio's bytes from the stream's position to its end (the stream is put back
/// where it was). A non-seekable stream is read into memory once, up to
/// <see cref="LlmCachingSpeechToTextClientOptions.MaxBufferedAudioBytes"/>, and the inner client reads those bytes; a
/// longer one bypasses the cache, with a warning (event 30) through the runtime's logger. Streaming transcription (<see cref="GetStreamingTextAsync"/>) is passed through uncached.
/// </para>
/// <para>Per-call controls travel in <see cref="SpeechToTextOptions.AdditionalProperties"/>: see <see cref="CacheControlProperties"/>.</para>
/// </remarks>
public sealed class LlmCachingSpeechToTextClient : DelegatingSpeechToTextClient
{
    private readonly LlmCacheRuntime _runtime;
    private readonly CachedMethod<SpeechToTextResponse> _method;
    private readonly SpeechToTextClientMetadata? _metadata;
    private readonly long? _maxBufferedAudioBytes;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that transcribes what the cache does not hold.</param>
    /// <param name="runtime">The cache; <see cref="LlmCacheRuntime.Shared"/> when <c>null</c>.</param>
    /// <param name="options">How to cache; the defaults when <c>null</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LlmCachingSpeechToTextClientOptions.MaxBufferedAudioBytes"/> is negative or more than an array holds.</exception>
    public LlmCachingSpeechToTextClient(ISpeechToTextClient innerClient, LlmCacheRuntime? runtime = null, LlmCachingSpeechToTextClientOptions? options = null)
        : base(innerClient)
    {
        options ??= new LlmCachingSpeechToTextClientOptions();
        if (options.MaxBufferedAudioBytes is < 0 or > int.MaxValue - 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBufferedAudioBytes, "MaxBufferedAudioBytes must be between 0 and the size of the largest array.");
        }

        _runtime = runtime ?? LlmCacheRuntime.Shared;
        _maxBufferedAudioBytes = options.MaxBufferedAudioBytes;
        _metadata = innerClient.GetService<SpeechToTextClientMetadata>();
        _method = new CachedMethod<SpeechToTextResponse>(
            AIMiddlewareKey.Identity(nameof(LlmCachingSpeechToTextClient), typeof(Stream), typeof(SpeechToTextResponse), options.KeyVersion),
            options.Type,
            options.Ttl,
            options.Namespace,
            AIResultSerializer.For<SpeechToTextResponse>())
        {
            Kind = CallKind.SpeechToText,
        };
    }

    /// <inheritdoc />
    public override async Task<SpeechToTextResponse> GetTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioSpeechStream);
        CacheControlProperties.TryRead(options?.AdditionalProperties, out CacheControl control);
        SpeechToTextOptions? inner = WithoutControls(options);
        if (!_runtime.ShouldCache(_method, in control))
        {
            return await base.GetTextAsync(audioSpeechStream, inner, cancellationToken).ConfigureAwait(false);
        }

        long limit = _maxBufferedAudioBytes ?? _runtime.MaxBufferedAudioBytes;
        (bool buffered, Stream audio) = await AudioBuffer.BufferAsync(audioSpeechStream, limit, cancellationToken).ConfigureAwait(false);
        if (!buffered)
        {
            LlmCacheLog.AudioTooLongToBuffer(_runtime.Logger, _method.Identity, limit);
            control.Outcome?.RecordBypassed();

            return await base.GetTextAsync(audio, inner, cancellationToken).ConfigureAwait(false);
        }

        byte[] key;
        CacheKeyHash hash;
        int size = _runtime.GetKeyHeaderSize(_method, in control) +
            AIMiddlewareKey.ProviderSize(_metadata?.ProviderName, _metadata?.ProviderUri, _metadata?.DefaultModelId) +
            OptionsSize(options) + CacheKeyWriter.MaxStreamSize(audio);
        var writer = new CacheKeyWriter(stackalloc byte[512], size);
        try
        {
            _runtime.WriteKeyHeader(ref writer, _method, in control);
            AIMiddlewareKey.WriteProvider(ref writer, _metadata?.ProviderName, _metadata?.ProviderUri, _metadata?.DefaultModelId);
            WriteOptions(ref writer, options);
            writer.WriteStream(audio, nameof(audioSpeechStream));
            if (_runtime.TryGetCached(_method, in control, writer.WrittenSpan, out hash, out SpeechToTextResponse cached))
            {
                return cached;
            }

            key = writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }

        return await _runtime.GetOrCreateAsync(
            _method,
            control,
            key,
            hash,
            (Inner: InnerClient, Audio: audio, Options: inner),
            static (state, ct) => new ValueTask<SpeechToTextResponse>(state.Inner.GetTextAsync(state.Audio, state.Options, ct)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<SpeechToTextResponseUpdate> GetStreamingTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingTextAsync(audioSpeechStream, WithoutControls(options), cancellationToken);

    private static int OptionsSize(SpeechToTextOptions? options) =>
        5 + CacheKeyWriter.MaxStringSize(options?.ModelId) + CacheKeyWriter.MaxStringSize(options?.SpeechLanguage) +
        CacheKeyWriter.MaxStringSize(options?.TextLanguage) + CacheKeyWriter.MaxScalarSize + 1;

    /// <summary>Writes the options; no options are keyed as options with nothing set (and no properties but controls).</summary>
    private static void WriteOptions(ref CacheKeyWriter writer, SpeechToTextOptions? options)
    {
        writer.BeginObject(5);
        writer.WriteString(options?.ModelId);
        writer.WriteString(options?.SpeechLanguage);
        if (options?.SpeechSampleRate is { } rate)
        {
            writer.Write(rate);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteString(options?.TextLanguage);
        AIMiddlewareKey.WriteProperties(ref writer, options?.AdditionalProperties);
    }

    /// <summary>The options the inner client receives: without the <c>llmcache.</c> controls.</summary>
    private static SpeechToTextOptions? WithoutControls(SpeechToTextOptions? options)
    {
        if (options is null || !CacheControlProperties.HasControls(options.AdditionalProperties))
        {
            return options;
        }

        SpeechToTextOptions copy = options.Clone();
        copy.AdditionalProperties = CacheControlProperties.WithoutControls(options.AdditionalProperties);
        return copy;
    }
}
