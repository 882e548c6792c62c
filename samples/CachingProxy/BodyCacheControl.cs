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
    /// Reads the controls of <paramref name="body"/> into a <see cref="CacheControl"/> that reports into
    /// <paramref name="outcome"/>; a tenant's namespace comes first, so a tenant's own <c>namespace</c> stays inside it.
    /// </summary>
    /// <returns><c>null</c>, or what is wrong (an unknown name, a value of the wrong type), for a 400.</returns>
    public static string? TryRead(JsonElement body, string? tenantNamespace, CacheOutcome outcome, out CacheControl control)
    {
        bool noCache = false, noStore = false, useCache = false;
        TimeSpan? ttl = null, maxAge = null;
        string? requested = null;
        if (body.TryGetProperty(CanonicalRequest.CacheProperty, out JsonElement cache) && cache.ValueKind != JsonValueKind.Null)
        {
            if (cache.ValueKind != JsonValueKind.Object)
            {
                control = default;
                return "'cache' must be an object such as {\"no-cache\": true}.";
            }

            foreach (JsonProperty property in cache.EnumerateObject())
            {
                string? error = property.Name switch
                {
                    "no-cache" => Bool(property, ref noCache),
                    "no-store" => Bool(property, ref noStore),
                    "use-cache" => Bool(property, ref useCache),
                    "ttl" => Seconds(property, ref ttl),
                    "s-maxage" => Seconds(property, ref maxAge),
                    "namespace" => Text(property, ref requested),
                    _ => $"'cache' has an unknown control '{property.Name}'; known: no-cache, no-store, ttl, s-maxage, namespace, use-cache.",
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

    private static string? Bool(JsonProperty property, ref bool value)
    {
        switch (property.Value.ValueKind)
        {
            case JsonValueKind.True:
                value = true;
                return null;
            case JsonValueKind.False:
                value = false;
                return null;
            default:
                return $"'cache.{property.Name}' must be true or false.";
        }
    }

    private static string? Seconds(JsonProperty property, ref TimeSpan? value)
    {
        if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out double seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2)
        {
            value = TimeSpan.FromSeconds(seconds);
            return null;
        }

        return $"'cache.{property.Name}' must be a number of seconds, 0 or more.";
    }

    private static string? Text(JsonProperty property, ref string? value)
    {
        if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } text)
        {
            value = text;
            return null;
        }

        return $"'cache.{property.Name}' must be a non-empty string.";
    }
}
