using System;
using System.ComponentModel;

namespace LlmCache;

/// <summary>
/// Generated code: the generator puts one on each type with <see cref="LlmCachedAttribute"/> methods, per method,
/// naming the store the method caches into, so that a host's start (<c>AddLlmCache</c>, <c>ValidateOnStart</c>) can
/// check that the configuration has every store the container's types need. It is metadata on the type itself: no
/// registry, nothing shared between assemblies, and read with <see cref="Attribute.GetCustomAttributes(System.Reflection.MemberInfo, Type, bool)"/>,
/// which trimming and Native AOT keep.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = true, Inherited = true)]
public sealed class LlmCachedStoreRequirementAttribute : Attribute
{
    /// <summary>Names a cached method and its cache type.</summary>
    /// <param name="method">The method, as <c>Type.Method</c>, for messages.</param>
    /// <param name="type">The method's <see cref="LlmCachedAttribute.Type"/>.</param>
    public LlmCachedStoreRequirementAttribute(string method, CacheType type)
    {
        Method = method;
        Type = type;
    }

    /// <summary>The method, for messages.</summary>
    public string Method { get; }

    /// <summary>The method's cache type.</summary>
    public CacheType Type { get; }

    /// <summary>The method's named store (<see cref="LlmCachedAttribute.Store"/>), or <c>null</c>.</summary>
    public string? Store { get; set; }
}
