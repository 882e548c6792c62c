namespace LlmCache.Proxy;

/// <summary>An API key the proxy accepts and the cache namespace its requests use, so that two tenants never share entries.</summary>
/// <param name="Key">The bearer token.</param>
/// <param name="Namespace">The namespace of every entry this key's requests read and write.</param>
public sealed record TenantKey(string Key, string Namespace);
