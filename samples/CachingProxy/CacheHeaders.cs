using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>The response headers that say what the cache did.</summary>
public static class CacheHeaders
{
    /// <summary><c>hit</c>, <c>miss</c> or <c>bypass</c>.</summary>
    public const string Status = "x-llmcache";

    /// <summary>The entry's key on a hit (the 64-hex remote key), under the reference's name; <c>POST /cache/delete</c> takes it.</summary>
    public const string Key = "x-litellm-cache-key";

    /// <summary>The cosine similarity of a semantic hit's prompt and the cached one (<c>0.8731</c>); absent on exact hits.</summary>
    public const string Similarity = "x-llmcache-similarity";

    /// <summary>Writes the headers for <paramref name="outcome"/>.</summary>
    public static void Write(HttpResponse response, CacheOutcome outcome)
    {
        response.Headers[Status] = outcome.Status switch
        {
            CacheOutcomeStatus.Hit => "hit",
            CacheOutcomeStatus.Miss => "miss",
            _ => "bypass",
        };
        if (outcome.IsHit && outcome.RemoteKey is { } key)
        {
            response.Headers[Key] = key;
        }

        if (outcome.IsHit && outcome.Similarity is { } similarity)
        {
            response.Headers[Similarity] = similarity.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Marks a response that did not go through the cache.</summary>
    public static void Bypass(HttpResponse response) => response.Headers[Status] = "bypass";
}
