using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

// Microsoft.Extensions.AI marks its speech-to-text abstractions experimental (MEAI001); this file exists to cache
// them, so it uses them knowingly; an app sees MEAI001 where it uses those types itself.
#pragma warning disable MEAI001

namespace LlmCache.AI;

/// <summary>Adds LlmCache to a speech-to-text pipeline.</summary>
public static class LlmCacheSpeechToTextClientBuilderExtensions
{
    /// <summary>
    /// Caches transcriptions by the audio's content (see <see cref="LlmCachingSpeechToTextClient"/>) through
    /// <paramref name="runtime"/>, else the <see cref="LlmCacheRuntime"/> registered in the container (<c>AddLlmCache</c>),
    /// else <see cref="LlmCacheRuntime.Shared"/>.
    /// </summary>
    public static SpeechToTextClientBuilder UseLlmCache(
        this SpeechToTextClientBuilder builder,
        LlmCacheRuntime? runtime = null,
        Action<LlmCachingSpeechToTextClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LlmCachingSpeechToTextClientOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new LlmCachingSpeechToTextClient(inner, runtime ?? services.GetService<LlmCacheRuntime>(), options));
    }
}
