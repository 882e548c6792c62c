using System;
using System.Text;

namespace LlmCache.S3;

/// <summary>
/// How an <see cref="S3CacheStore"/> names objects: <c>{path/}{namespace}/{sha-256 hex}</c>. The namespace segment is
/// percent-encoded, so every namespace gets its own prefix: <c>a/b</c> becomes <c>a%2Fb</c> and never shares
/// <c>a/</c> with namespace <c>a</c>. The default namespace (<c>""</c>) is <c>~</c>, which no encoded namespace is.
/// </summary>
internal static class S3ObjectKeys
{
    private const string DefaultNamespaceSegment = "~";

    /// <summary>The key prefix of a path setting: <c>""</c>, or the path without outer slashes and with one trailing slash.</summary>
    public static string NormalizePrefix(string? path)
    {
        string trimmed = (path ?? string.Empty).Trim('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    /// <summary>The prefix of every object of <paramref name="namespace"/>.</summary>
    public static string NamespacePrefix(string prefix, string @namespace) => string.Concat(prefix, EncodeNamespace(@namespace), "/");

    /// <summary>The object key of <paramref name="key"/>.</summary>
    public static string ObjectKey(string prefix, CacheStoreKey key) => string.Concat(NamespacePrefix(prefix, key.Namespace), key.Hex);

    /// <summary>Percent-encodes everything but ASCII letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; a segment of dots alone is encoded whole.</summary>
    public static string EncodeNamespace(string @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        if (@namespace.Length == 0)
        {
            return DefaultNamespaceSegment;
        }

        bool onlyDots = @namespace.AsSpan().TrimStart('.').IsEmpty;
        var builder = new StringBuilder(@namespace.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(@namespace))
        {
            if (IsUnreserved(b) && !(onlyDots && b == (byte)'.'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    private static bool IsUnreserved(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.';

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
