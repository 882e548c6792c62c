using System;
using System.Collections.Generic;
using System.Text;

namespace LlmCache;

/// <summary>
/// The start-up check: the stores the cached methods of some types need (the generator writes them on each type as
/// <see cref="LlmCachedStoreRequirementAttribute"/>s), against the current configuration.
/// </summary>
public sealed partial class LlmCacheRuntime
{
    /// <summary>
    /// Checks that the current configuration has the store every <see cref="LlmCachedAttribute"/> method of
    /// <paramref name="types"/> caches into: its cache type's (Redis for <see cref="CacheType.Redis"/> and
    /// <see cref="CacheType.Dual"/>, the default type's for <see cref="CacheType.Default"/>) or its named
    /// <see cref="LlmCachedAttribute.Store"/>. <c>AddLlmCache</c> runs it when the host starts, for every type the
    /// container registers; call it at start-up for types you create yourself.
    /// </summary>
    /// <param name="types">The types whose cached methods to check; types without any are skipped.</param>
    /// <exception cref="InvalidOperationException">One message that names each method whose store is missing and what to register.</exception>
    public void ValidateStoresFor(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (DescribeMissingStores(types) is { } message)
        {
            throw new InvalidOperationException(message);
        }
    }

    /// <summary>One message naming the methods of <paramref name="types"/> whose store is missing, grouped by what is missing; <c>null</c> when none is.</summary>
    internal string? DescribeMissingStores(IEnumerable<Type> types)
    {
        RuntimeState state = _state;
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        foreach (Type type in types)
        {
            if (type is null || !seen.Add(type))
            {
                continue;
            }

            foreach (Attribute attribute in Attribute.GetCustomAttributes(type, typeof(LlmCachedStoreRequirementAttribute), inherit: true))
            {
                var requirement = (LlmCachedStoreRequirementAttribute)attribute;
                if (state.ProblemOf(requirement.Type, requirement.Store) is { } problem)
                {
                    if (!missing.TryGetValue(problem, out SortedSet<string>? methods))
                    {
                        missing[problem] = methods = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    methods.Add(requirement.Method);
                }
            }
        }

        if (missing.Count == 0)
        {
            return null;
        }

        var message = new StringBuilder("LlmCache's configuration lacks a store that cached methods need.");
        foreach (KeyValuePair<string, SortedSet<string>> entry in missing)
        {
            message.Append(' ').Append(string.Join(", ", entry.Value)).Append(entry.Value.Count == 1 ? ": " : " (each): ").Append(entry.Key);
        }

        return message.ToString();
    }
}
