using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace LlmCache;

/// <summary>
/// Remembers the store a builder step created and the configuration it was created from, so that a reload that
/// leaves the store's section alone keeps the store (and its connection) instead of opening a new one.
/// </summary>
internal sealed class StoreSetupState
{
    private string? _fingerprint;
    private ICacheStore? _store;

    /// <summary>
    /// Whether a builder step registers its store: when the application configures it in code, when there is no
    /// configuration (the step is the application's word), or when the configuration names the store's type or sets
    /// a key of its section. Otherwise configuration that chose another store leaves this one out.
    /// </summary>
    public static bool IsWanted(LlmCacheOptions options, LlmCacheSettings settings, string section, bool configuredInCode, params CacheType[] types) =>
        configuredInCode || !settings.Source.IsPresent || settings.Source.HasSection(section) || Array.IndexOf(types, options.DefaultType) >= 0;

    /// <summary>The store created last for <paramref name="section"/>'s current values, if <paramref name="options"/> still registers it for <paramref name="type"/>.</summary>
    public ICacheStore? Reusable(LlmCacheOptions options, CacheType type, IConfigurationSection section) =>
        _store is not null && string.Equals(_fingerprint, Fingerprint(section), StringComparison.Ordinal) &&
        options.Stores.TryGetValue(type, out StoreRegistration? registration) && ReferenceEquals(registration.Store, _store)
            ? _store
            : null;

    /// <summary>Records the store created for <paramref name="section"/>'s current values.</summary>
    public void Remember(ICacheStore store, IConfigurationSection section)
    {
        _store = store;
        _fingerprint = Fingerprint(section);
    }

    /// <summary>Every key and value of the section, in order: equal exactly when the store would be built the same.</summary>
    private static string Fingerprint(IConfigurationSection section)
    {
        var pairs = new List<KeyValuePair<string, string?>>(section.AsEnumerable(makePathsRelative: true));
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (KeyValuePair<string, string?> pair in pairs)
        {
            text.Append(pair.Key).Append('\0').Append(pair.Value).Append('\0');
        }

        return text.ToString();
    }
}
