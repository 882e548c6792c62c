using System;
using System.Globalization;
using System.Threading;

namespace LlmCache;

/// <summary>
/// Reads the text values of configuration, each with a message that names the setting and the accepted values.
/// Values that may be secrets are never parsed here, so a message may quote the value it rejects.
/// </summary>
internal static class SettingParser
{
    /// <summary>The accepted forms of a TTL, for messages.</summary>
    public const string TtlForms = "a number of seconds (3600, 0.5), a time span (01:00:00), 0 to keep nothing, or \"infinite\" for no expiry";

    /// <summary>A TTL: seconds as LiteLLM writes them, or a .NET time span; <c>null</c> when unset.</summary>
    public static TimeSpan? Ttl(string? text, string name)
    {
        if (Trimmed(text) is not { } value)
        {
            return null;
        }

        if (string.Equals(value, "infinite", StringComparison.OrdinalIgnoreCase))
        {
            return Timeout.InfiniteTimeSpan;
        }

        TimeSpan ttl;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds))
        {
            if (seconds < 0)
            {
                throw Invalid($"{name} cannot be negative ({value}): it must be {TtlForms}.");
            }

            ttl = seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        }
        else if (value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out ttl))
        {
            if (ttl < TimeSpan.Zero)
            {
                throw Invalid($"{name} cannot be negative ({value}): it must be {TtlForms}.");
            }
        }
        else
        {
            throw Invalid($"{name} must be {TtlForms}, not '{value}'.");
        }

        return ttl;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; <c>null</c> when unset.</summary>
    public static long? Integer(string? text, string name, long min, long max, string what)
    {
        if (Trimmed(text) is not { } value)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) || number < min || number > max)
        {
            throw Invalid($"{name} must be {what}, not '{value}'.");
        }

        return number;
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>]; <c>null</c> when unset.</summary>
    public static double? Number(string? text, string name, double min, double max, string what)
    {
        if (Trimmed(text) is not { } value)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !(number >= min && number <= max))
        {
            throw Invalid($"{name} must be {what}, not '{value}'.");
        }

        return number;
    }

    /// <summary><c>true</c> or <c>false</c>; <c>null</c> when unset.</summary>
    public static bool? Boolean(string? text, string name)
    {
        if (Trimmed(text) is not { } value)
        {
            return null;
        }

        return bool.TryParse(value, out bool flag) ? flag : throw Invalid($"{name} must be true or false, not '{value}'.");
    }

    /// <summary>The value with surrounding white space removed; <c>null</c> when unset or blank.</summary>
    public static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A configuration mistake: thrown while options are built, reported at start-up or by a rejected reload.</summary>
    public static InvalidOperationException Invalid(string message) => new(message);
}
