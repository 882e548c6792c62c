using System;

namespace LlmCache;

/// <summary>
/// Leaves a parameter of a <see cref="LlmCachedAttribute"/> method out of the cache key (an API key, a logger, a
/// progress callback), or a property or field out of the key form of the type that holds it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class NotCacheKeyAttribute : Attribute
{
}
