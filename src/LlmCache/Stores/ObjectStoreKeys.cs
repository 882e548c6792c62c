using System;
using System.Security.Cryptography;
using System.Text;

namespace LlmCache;

/// <summary>
/// How the object stores (S3, Azure Blob Storage) name objects: <c>{path/}{namespace}/{sha-256 hex}</c>. The namespace segment is
/// percent-encoded, so every namespace gets its own prefix: <c>a/b</c> becomes <c>a%2Fb</c> and never shares
/// <c>a/</c> with namespace <c>a</c>. The default namespace (<c>""</c>) is <c>~</c>, which no encoded namespace is.
/// A namespace whose encoded segment would pass <see cref="MaxSegmentBytes"/> (the limit of one path segment on
/// MinIO and other servers that keep objects as files), or make an object key pass S3's <see cref="MaxKeyBytes"/>
/// (also within Azure's 1,024 characters of a blob name),
/// is named <c>~</c> and the SHA-256 hex of its UTF-8 bytes instead: still one prefix per namespace, and no
/// encoded namespace can take that form, as none contains <c>~</c>.
/// </summary>
internal static class ObjectStoreKeys
{
    /// <summary>The longest object key S3 accepts, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>The longest namespace segment written as it is, in bytes (it is ASCII).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>The hex digest after a namespace prefix: 64 characters.</summary>
    private const int DigestHexLength = 2 * CacheKeyDigests.RemoteLength;

    /// <summary>The longest path prefix that leaves room for a hashed namespace and a digest.</summary>
    public const int MaxPrefixBytes = MaxKeyBytes - (1 + DigestHexLength) - 1 - DigestHexLength;

    private const string DefaultNamespaceSegment = "~";

    /// <summary>The key prefix of a path setting: <c>""</c>, or the path without outer slashes and with one trailing slash.</summary>
    public static string NormalizePrefix(string? path)
    {
        string trimmed = (path ?? string.Empty).Trim('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    /// <summary>The prefix of every object of <paramref name="namespace"/>.</summary>
    public static string NamespacePrefix(string prefix, string @namespace)
    {
        string segment = EncodeNamespace(@namespace);
        int keyBytes = Encoding.UTF8.GetByteCount(prefix) + segment.Length + 1 + DigestHexLength;
        if (segment.Length > MaxSegmentBytes || keyBytes > MaxKeyBytes)
        {
            segment = DefaultNamespaceSegment + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(@namespace))).ToLowerInvariant();
        }

        return string.Concat(prefix, segment, "/");
    }

    /// <summary>Whether <paramref name="objectKey"/>, under <paramref name="prefix"/>, has the form of an entry: one namespace segment, a slash, 64 lower-case hex digits.</summary>
    public static bool IsEntryKey(string prefix, string objectKey)
    {
        if (!objectKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = objectKey.AsSpan(prefix.Length);
        int slash = rest.IndexOf('/');
        ReadOnlySpan<char> digest = slash > 0 ? rest.Slice(slash + 1) : default;
        return digest.Length == DigestHexLength && !digest.ContainsAnyExcept("0123456789abcdef");
    }

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
