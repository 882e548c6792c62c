namespace LlmCache;

/// <summary>Whether calls are cached unless they opt out, or only when they opt in (LiteLLM's <c>mode</c>).</summary>
public enum CacheMode
{
    /// <summary>Every call is cached unless its <see cref="CacheControl"/> says otherwise (LiteLLM's <c>default_on</c>).</summary>
    DefaultOn = 0,

    /// <summary>Only calls whose <see cref="CacheControl.UseCache"/> is set are cached (LiteLLM's <c>default_off</c> with <c>use-cache</c>).</summary>
    DefaultOff = 1,
}
