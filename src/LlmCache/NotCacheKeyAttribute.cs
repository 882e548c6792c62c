using System;

namespace LlmCache;

/// <summary>Leaves a parameter of a <see cref="LlmCachedAttribute"/> method out of the cache key (an API key, a logger, a progress callback).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NotCacheKeyAttribute : Attribute
{
}
