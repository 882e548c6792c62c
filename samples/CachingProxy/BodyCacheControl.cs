using System;
using System.Text.Json;

namespace LlmCache.Proxy;

/// <summary>
/// The body's <c>cache</c> object, as the reference's <c>extra_body</c> examples send it: <c>no-cache</c>,
/// <c>no-store</c>, <c>ttl</c>, <c>s-maxage</c>, <c>namespace</c>, <c>use-cache</c>.
/// </summary>
public static class BodyCacheControl
{
    /// <summary>
    /// Reads the controls of <paramref name="cache"/> (the JSON of the body's <c>cache</c> value, valid JSON; empty
    /// when the body has none) into a <see cref="CacheControl"/> that reports into <paramref name="outcome"/>; a
    /// tenant's namespace comes first, so a tenant's own <c>namespace</c> stays inside it.
    /// </summary>
    /// <returns><c>null</c>, or what is wrong (an unknown name, a value of the wrong type), for a 400.</returns>
    public static string? TryRead(ReadOnlySpan<byte> cache, string? tenantNamespace, CacheOutcome outcome, out CacheControl control)
    {
        bool noCache = false, noStore = false, useCache = false;
        TimeSpan? ttl = null, maxAge = null;
        string? requested = null;
        var reader = new Utf8JsonReader(cache);
        if (!cache.IsEmpty && reader.Read() && reader.TokenType != JsonTokenType.Null)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                control = default;
                return "'cache' must be an object such as {\"no-cache\": true}.";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                string? error = name switch
                {
                    "no-cache" => Bool(ref reader, name, ref noCache),
                    "no-store" => Bool(ref reader, name, ref noStore),
                    "use-cache" => Bool(ref reader, name, ref useCache),
                    "ttl" => Seconds(ref reader, name, ref ttl),
                    "s-maxage" => Seconds(ref reader, name, ref maxAge),
                    "namespace" => Text(ref reader, name, ref requested),
                    _ => $"'cache' has an unknown control '{name}'; known: no-cache, no-store, ttl, s-maxage, namespace, use-cache.",
                };
                if (error is not null)
                {
                    control = default;
                    return error;
                }
            }
        }

        string? @namespace = tenantNamespace is null ? requested : requested is null ? tenantNamespace : tenantNamespace + "/" + requested;
        control = new CacheControl { NoCache = noCache, NoStore = noStore, UseCache = useCache, Ttl = ttl, SMaxAge = maxAge, Namespace = @namespace, Outcome = outcome };
        return null;
    }

    private static string? Bool(ref Utf8JsonReader reader, string name, ref bool value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                value = true;
                return null;
            case JsonTokenType.False:
                value = false;
                return null;
            default:
                return $"'cache.{name}' must be true or false.";
        }
    }

    private static string? Seconds(ref Utf8JsonReader reader, string name, ref TimeSpan? value)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2)
        {
            value = TimeSpan.FromSeconds(seconds);
            return null;
        }

        return $"'cache.{name}' must be a number of seconds, 0 or more.";
    }

    private static string? Text(ref Utf8JsonReader reader, string name, ref string? value)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } text)
        {
            value = text;
            return null;
        }

        return $"'cache.{name}' must be a non-empty string.";
    }
}
