using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// The names under which per-call cache controls travel in a request's <c>AdditionalProperties</c>
/// (<see cref="ChatOptions"/>, <see cref="EmbeddingGenerationOptions"/>, <see cref="SpeechToTextOptions"/>) to the
/// <c>UseLlmCache</c> middleware: the middleware's form of <see cref="CacheControl"/>. Every name starts with
/// <see cref="Prefix"/>; such entries are never part of a cache key and never reach the inner client. Values may be
/// <see cref="System.Text.Json.JsonElement"/>s too, as options read from JSON hold them. See docs/middleware.md.
/// </summary>
public static class CacheControlProperties
{
    /// <summary>The prefix reserved for LlmCache's controls; an unknown name under it is an error, so a typo is not silently ignored.</summary>
    public const string Prefix = "llmcache.";

    /// <summary><c>bool</c>: don't return a cached answer (<see cref="CacheControl.NoCache"/>).</summary>
    public const string NoCache = "llmcache.no-cache";

    /// <summary><c>bool</c>: don't store this call's answer (<see cref="CacheControl.NoStore"/>).</summary>
    public const string NoStore = "llmcache.no-store";

    /// <summary>A <see cref="TimeSpan"/>, or whole seconds as an integer: this call's TTL (<see cref="CacheControl.Ttl"/>; zero keeps nothing).</summary>
    public const string Ttl = "llmcache.ttl";

    /// <summary>A <see cref="TimeSpan"/>, or whole seconds as an integer: accept only a cached answer younger than this (<see cref="CacheControl.SMaxAge"/>).</summary>
    public const string SMaxAge = "llmcache.s-maxage";

    /// <summary><c>string</c>: read and write under this namespace (<see cref="CacheControl.Namespace"/>).</summary>
    public const string Namespace = "llmcache.namespace";

    /// <summary><c>bool</c>: cache this call although the runtime's mode is default-off (<see cref="CacheControl.UseCache"/>, LiteLLM's <c>use-cache</c>).</summary>
    public const string UseCache = "llmcache.use-cache";

    /// <summary>A <see cref="CacheOutcome"/> the call fills in: hit, miss or bypassed, the tier, the age and the key digest.</summary>
    public const string Outcome = "llmcache.outcome";

    /// <summary>A whole <see cref="CacheControl"/>, as <see cref="LlmCacheChatExtensions.WithCacheControl"/> puts it; the single-control names above override its fields.</summary>
    public const string Control = "llmcache.control";

    /// <summary>Whether an additional property's name is one of LlmCache's controls.</summary>
    internal static bool IsControl(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether any of <paramref name="properties"/> is a control.</summary>
    internal static bool HasControls(AdditionalPropertiesDictionary? properties)
    {
        if (properties is not null)
        {
            foreach (KeyValuePair<string, object?> entry in properties)
            {
                if (IsControl(entry.Key))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Reads the controls in <paramref name="properties"/>; <c>false</c> (and <c>default</c>) when there are none,
    /// which costs a scan of the property names and no allocation.
    /// </summary>
    /// <exception cref="ArgumentException">A control has a value of the wrong type, or a name under <see cref="Prefix"/> is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A TTL is negative (see <see cref="CacheControl.Ttl"/>).</exception>
    internal static bool TryRead(AdditionalPropertiesDictionary? properties, out CacheControl control)
    {
        control = default;
        if (properties is not { Count: > 0 })
        {
            return false;
        }

        bool found = false;
        CacheControl whole = default;
        bool? noCache = null;
        bool? noStore = null;
        TimeSpan? ttl = null;
        TimeSpan? sMaxAge = null;
        string? @namespace = null;
        bool? useCache = null;
        CacheOutcome? outcome = null;
        foreach (KeyValuePair<string, object?> entry in properties)
        {
            if (!IsControl(entry.Key))
            {
                continue;
            }

            found = true;
            switch (entry.Key)
            {
                case NoCache:
                    noCache = ReadBool(entry.Key, entry.Value);
                    break;
                case NoStore:
                    noStore = ReadBool(entry.Key, entry.Value);
                    break;
                case Ttl:
                    ttl = ReadDuration(entry.Key, entry.Value);
                    break;
                case SMaxAge:
                    sMaxAge = ReadDuration(entry.Key, entry.Value);
                    break;
                case Namespace:
                    @namespace = ReadString(entry.Key, entry.Value);
                    break;
                case UseCache:
                    useCache = ReadBool(entry.Key, entry.Value);
                    break;
                case Outcome:
                    outcome = entry.Value as CacheOutcome ?? throw WrongType(entry.Key, entry.Value, nameof(CacheOutcome));
                    break;
                case Control:
                    whole = entry.Value is CacheControl value ? value : throw WrongType(entry.Key, entry.Value, nameof(CacheControl));
                    break;
                default:
                    throw new ArgumentException(
                        $"'{entry.Key}' is not an LlmCache control. The names under '{Prefix}' are {NoCache}, {NoStore}, {Ttl}, {SMaxAge}, {Namespace}, {UseCache}, {Outcome} and {Control}.",
                        "options");
            }
        }

        if (found)
        {
            control = new CacheControl
            {
                NoCache = noCache ?? whole.NoCache,
                NoStore = noStore ?? whole.NoStore,
                Ttl = ttl ?? whole.Ttl,
                SMaxAge = sMaxAge ?? whole.SMaxAge,
                Namespace = @namespace ?? whole.Namespace,
                UseCache = useCache ?? whole.UseCache,
                Outcome = outcome ?? whole.Outcome,
            };
        }

        return found;
    }

    /// <summary>
    /// <paramref name="properties"/> without the controls, for the inner client: the same dictionary when it holds
    /// none, a new one otherwise (the caller's is left as it is), and <c>null</c> when nothing else is left.
    /// </summary>
    internal static AdditionalPropertiesDictionary? WithoutControls(AdditionalPropertiesDictionary? properties)
    {
        if (!HasControls(properties))
        {
            return properties;
        }

        AdditionalPropertiesDictionary? kept = null;
        foreach (KeyValuePair<string, object?> entry in properties!)
        {
            if (!IsControl(entry.Key))
            {
                (kept ??= new AdditionalPropertiesDictionary())[entry.Key] = entry.Value;
            }
        }

        return kept;
    }

    private static bool ReadBool(string name, object? value) => value switch
    {
        bool flag => flag,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw WrongType(name, value, "bool"),
    };

    private static TimeSpan ReadDuration(string name, object? value) => value switch
    {
        TimeSpan duration => duration,
        int seconds => TimeSpan.FromSeconds(seconds),
        long seconds => TimeSpan.FromSeconds(seconds),
        JsonElement { ValueKind: JsonValueKind.Number } json when json.TryGetInt64(out long seconds) => TimeSpan.FromSeconds(seconds),
        _ => throw WrongType(name, value, "TimeSpan or whole seconds (int, long)"),
    };

    private static string ReadString(string name, object? value) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString()!,
        _ => throw WrongType(name, value, "string"),
    };

    private static ArgumentException WrongType(string name, object? value, string expected) =>
        new($"The LlmCache control '{name}' must be a {expected}; it is {(value is null ? "null" : value.GetType().Name)}.", "options");
}
