using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmCache.AI;

/// <summary>
/// The names under which per-call cache controls travel in <see cref="ChatOptions.AdditionalProperties"/> to an
/// <see cref="LlmCachingChatClient"/>, the middleware's form of <see cref="CacheControl"/>. Every name starts with
/// <see cref="Prefix"/>; such entries are never part of a cache key and never reach the inner client. See
/// docs/middleware.md.
/// </summary>
public static class ChatCacheControlProperties
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

    /// <summary>A <see cref="CacheOutcome"/> the call fills in: hit, miss or bypassed, the tier, the age and the key digest.</summary>
    public const string Outcome = "llmcache.outcome";

    /// <summary>A whole <see cref="CacheControl"/>, as <see cref="LlmCacheChatExtensions.WithCacheControl"/> puts it; the single-control names above override its fields.</summary>
    public const string Control = "llmcache.control";

    /// <summary>Whether an additional property's name is one of LlmCache's controls.</summary>
    internal static bool IsControl(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Reads the controls in <paramref name="options"/>; <c>false</c> (and <c>default</c>) when it carries none, which
    /// costs a scan of the property names and no allocation.
    /// </summary>
    /// <exception cref="ArgumentException">A control has a value of the wrong type, or a name under <see cref="Prefix"/> is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A TTL is negative (see <see cref="CacheControl.Ttl"/>).</exception>
    internal static bool TryRead(ChatOptions? options, out CacheControl control)
    {
        control = default;
        if (options?.AdditionalProperties is not { Count: > 0 } properties)
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
                case Outcome:
                    outcome = entry.Value as CacheOutcome ?? throw WrongType(entry.Key, entry.Value, nameof(CacheOutcome));
                    break;
                case Control:
                    whole = entry.Value is CacheControl value ? value : throw WrongType(entry.Key, entry.Value, nameof(CacheControl));
                    break;
                default:
                    throw new ArgumentException(
                        $"'{entry.Key}' is not an LlmCache control. The names under '{Prefix}' are {NoCache}, {NoStore}, {Ttl}, {SMaxAge}, {Namespace}, {Outcome} and {Control}.",
                        nameof(options));
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
                Outcome = outcome ?? whole.Outcome,
            };
        }

        return found;
    }

    /// <summary>A copy of <paramref name="options"/> without the controls, for the inner client; the caller's options are left as they are.</summary>
    internal static ChatOptions WithoutControls(ChatOptions options)
    {
        ChatOptions copy = options.Clone();
        AdditionalPropertiesDictionary? kept = null;
        foreach (KeyValuePair<string, object?> entry in options.AdditionalProperties!)
        {
            if (!IsControl(entry.Key))
            {
                (kept ??= new AdditionalPropertiesDictionary())[entry.Key] = entry.Value;
            }
        }

        copy.AdditionalProperties = kept;
        return copy;
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
