using System;
using System.Globalization;

namespace LlmCache.Redis;

/// <summary>The parts of a <c>redis://</c> or <c>rediss://</c> URL.</summary>
internal readonly record struct RedisUrlParts(string? Host, int? Port, string? User, string? Password, bool? Ssl, int? Database)
{
    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="setting"/> but never repeat the URL, which may hold a password.</summary>
    public static RedisUrlParts Parse(string text, string setting)
    {
        if (HostAndPort(text.Trim()) is { } hostAndPort)
        {
            throw new ArgumentException($"{setting} must be a URL with its scheme, and '{hostAndPort}' has none: write redis://{hostAndPort} (or rediss://{hostAndPort} for TLS).", setting);
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"{setting} must be a URL of the form redis://[user:password@]host[:port][/database] or rediss://…; the value given is not.", setting);
        }

        bool ssl = uri.Scheme switch
        {
            "redis" => false,
            "rediss" => true,
            _ => throw new ArgumentException($"{setting} must start with redis:// or rediss:// (TLS), not {uri.Scheme}://.", setting),
        };

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            string rawUser = colon < 0 ? uri.UserInfo : uri.UserInfo.Substring(0, colon);
            user = rawUser.Length == 0 ? null : Uri.UnescapeDataString(rawUser);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo.Substring(colon + 1));
        }

        int? database = null;
        string path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new ArgumentException($"The path of {setting} must be a database number (redis://host:port/2), not '/{path}'.", setting);
            }

            database = number;
        }

        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return new RedisUrlParts(host, uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port, user, password, ssl, database);
    }

    /// <summary>
    /// <paramref name="text"/> when it is <c>host:port</c> without a scheme (the form of Redis's own tools), which
    /// <see cref="Uri"/> misreads as a scheme; <c>null</c> otherwise. Such a value holds no password, so the message may repeat it.
    /// </summary>
    private static string? HostAndPort(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || text.AsSpan(0, colon).IndexOfAny("/@[] ") >= 0)
        {
            return null;
        }

        foreach (char c in text.AsSpan(colon + 1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return text;
    }
}
