using System;
using System.Globalization;

namespace LlmCache.Redis;

/// <summary>The parts of a <c>redis://</c> or <c>rediss://</c> URL.</summary>
internal readonly record struct RedisUrlParts(string? Host, int? Port, string? User, string? Password, bool? Ssl, int? Database)
{
    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="setting"/> but never repeat the URL, which may hold a password.</summary>
    public static RedisUrlParts Parse(string text, string setting)
    {
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
}
