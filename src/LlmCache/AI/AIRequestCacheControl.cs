using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// The per-call controls of the embedding and speech-to-text middleware, read from a request's
/// <c>AdditionalProperties</c>. Every property whose name starts with <c>llmcache.</c> is a control: it is never part
/// of the key, and it is removed from the options the inner client receives.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Property</term><description>Value</description></listheader>
/// <item><term><c>llmcache.control</c></term><description>a <see cref="CacheControl"/>; the properties below override its parts</description></item>
/// <item><term><c>llmcache.no-cache</c></term><description><c>true</c>: don't serve from the cache</description></item>
/// <item><term><c>llmcache.no-store</c></term><description><c>true</c>: don't store the answer</description></item>
/// <item><term><c>llmcache.ttl</c></term><description>a <see cref="TimeSpan"/> or a number of seconds</description></item>
/// <item><term><c>llmcache.s-maxage</c></term><description>a <see cref="TimeSpan"/> or a number of seconds</description></item>
/// <item><term><c>llmcache.namespace</c></term><description>a string</description></item>
/// <item><term><c>llmcache.outcome</c></term><description>a <see cref="CacheOutcome"/> that receives what happened</description></item>
/// </list>
/// </remarks>
public static class AIRequestCacheControl
{
    /// <summary>The prefix of every control property.</summary>
    public const string Prefix = "llmcache.";

    /// <summary>A whole <see cref="CacheControl"/>.</summary>
    public const string Control = "llmcache.control";

    /// <summary><see cref="CacheControl.NoCache"/>.</summary>
    public const string NoCache = "llmcache.no-cache";

    /// <summary><see cref="CacheControl.NoStore"/>.</summary>
    public const string NoStore = "llmcache.no-store";

    /// <summary><see cref="CacheControl.Ttl"/>.</summary>
    public const string Ttl = "llmcache.ttl";

    /// <summary><see cref="CacheControl.SMaxAge"/>.</summary>
    public const string SMaxAge = "llmcache.s-maxage";

    /// <summary><see cref="CacheControl.Namespace"/>.</summary>
    public const string Namespace = "llmcache.namespace";

    /// <summary><see cref="CacheControl.Outcome"/>.</summary>
    public const string Outcome = "llmcache.outcome";

    /// <summary>The controls in <paramref name="properties"/>; <c>default</c> when there are none.</summary>
    /// <exception cref="ArgumentException">A control property holds a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A TTL is out of range (see <see cref="CacheControl.Ttl"/>).</exception>
    public static CacheControl Read(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || !HasControls(properties))
        {
            return default;
        }

        CacheControl control = properties.TryGetValue(Control, out object? whole)
            ? whole as CacheControl? ?? throw WrongType(Control, "a CacheControl")
            : default;
        return new CacheControl
        {
            NoCache = properties.TryGetValue(NoCache, out object? noCache) ? noCache as bool? ?? throw WrongType(NoCache, "a bool") : control.NoCache,
            NoStore = properties.TryGetValue(NoStore, out object? noStore) ? noStore as bool? ?? throw WrongType(NoStore, "a bool") : control.NoStore,
            Ttl = properties.TryGetValue(Ttl, out object? ttl) ? Duration(Ttl, ttl) : control.Ttl,
            SMaxAge = properties.TryGetValue(SMaxAge, out object? maxAge) ? Duration(SMaxAge, maxAge) : control.SMaxAge,
            Namespace = properties.TryGetValue(Namespace, out object? ns) ? ns as string ?? throw WrongType(Namespace, "a string") : control.Namespace,
            Outcome = properties.TryGetValue(Outcome, out object? outcome) ? outcome as CacheOutcome ?? throw WrongType(Outcome, "a CacheOutcome") : control.Outcome,
        };
    }

    /// <summary>Whether any property is a control.</summary>
    internal static bool HasControls(AdditionalPropertiesDictionary? properties)
    {
        if (properties is not null)
        {
            foreach (KeyValuePair<string, object?> property in properties)
            {
                if (property.Key.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><paramref name="properties"/> without the controls; <c>null</c> when nothing else is left.</summary>
    internal static AdditionalPropertiesDictionary? WithoutControls(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || !HasControls(properties))
        {
            return properties is { Count: 0 } ? null : properties;
        }

        var rest = new AdditionalPropertiesDictionary();
        foreach (KeyValuePair<string, object?> property in properties)
        {
            if (!property.Key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                rest[property.Key] = property.Value;
            }
        }

        return rest.Count == 0 ? null : rest;
    }

    private static TimeSpan? Duration(string name, object? value) => value switch
    {
        null => null,
        TimeSpan span => span,
        int seconds => TimeSpan.FromSeconds(seconds),
        long seconds => TimeSpan.FromSeconds(seconds),
        double seconds => TimeSpan.FromSeconds(seconds),
        _ => throw WrongType(name, "a TimeSpan or a number of seconds"),
    };

    private static ArgumentException WrongType(string name, string expected) =>
        new($"The LlmCache control property '{name}' must hold {expected}.", "options");
}
