using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace LlmCache.Proxy;

/// <summary>Who sent a request, once <see cref="ProxyAuth"/> let it in.</summary>
/// <param name="Namespace">The tenant's namespace, or <c>null</c> for the master key and for a proxy without keys.</param>
/// <param name="IsMaster">Whether the request carried the master key (required by <c>/cache/delete</c> and <c>/cache/flushall</c>).</param>
/// <param name="ClientKey">The client's bearer token, forwarded upstream only when the proxy has no keys of its own and the model no <c>api_key</c>.</param>
public sealed record Caller(string? Namespace, bool IsMaster, string? ClientKey);

/// <summary>
/// The master key and the tenants' keys: <c>Authorization: Bearer …</c>, compared in constant time. Without any
/// key configured every request is let in. A rejected key is never logged or echoed.
/// </summary>
public sealed class ProxyAuth
{
    // Without keys and without a token (the usual local set-up), every request is this one caller: no allocation per request.
    private static readonly Caller Anonymous = new(null, false, null);

    private readonly List<(byte[] Digest, string? Namespace, bool IsMaster)> _keys = [];

    /// <summary>Builds the key table from the settings.</summary>
    public ProxyAuth(ProxySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MasterKey is { } master)
        {
            _keys.Add((Digest(master), null, true));
        }

        foreach (TenantKey tenant in settings.Tenants)
        {
            _keys.Add((Digest(tenant.Key), tenant.Namespace, false));
        }
    }

    /// <summary>The caller that <see cref="Admit"/> kept for <paramref name="context"/>.</summary>
    public static Caller CallerOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(Caller), out object? caller) ? (Caller)caller! : Anonymous;

    /// <summary>Keeps <paramref name="caller"/> for the endpoints; the anonymous caller is not stored, so a proxy without keys spends nothing on it per request.</summary>
    public static void Admit(HttpContext context, Caller caller)
    {
        if (!ReferenceEquals(caller, Anonymous))
        {
            context.Items[typeof(Caller)] = caller;
        }
    }

    /// <summary>Whether any key is configured.</summary>
    public bool IsRequired => _keys.Count > 0;

    /// <summary>The caller of <paramref name="context"/>, or <c>null</c> (and a 401 written) when a key is required and none of them was sent.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(HttpContext context)
    {
        string? token = BearerToken(context.Request);
        if (!IsRequired)
        {
            return token is null ? Anonymous : new Caller(null, false, token);
        }

        if (token is not null)
        {
            // Comparing SHA-256 digests gives every key the same length, and every key is compared, so the time
            // taken says nothing about which key, or how much of one, matched.
            byte[] presented = Digest(token);
            (byte[] Digest, string? Namespace, bool IsMaster)? match = null;
            foreach ((byte[] Digest, string? Namespace, bool IsMaster) key in _keys)
            {
                if (CryptographicOperations.FixedTimeEquals(presented, key.Digest))
                {
                    match = key;
                }
            }

            if (match is { } found)
            {
                return new Caller(found.Namespace, found.IsMaster, null);
            }
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await OpenAiError.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication failed: send a valid key as 'Authorization: Bearer <key>'.", "auth_error", "invalid_api_key");
        return null;
    }

    private static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
