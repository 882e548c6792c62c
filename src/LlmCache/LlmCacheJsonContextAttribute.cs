using System;

namespace LlmCache;

/// <summary>
/// Names, once per assembly, the source-generated <c>JsonSerializerContext</c> that holds the result types of its
/// <see cref="LlmCachedAttribute"/> methods, so that stores outside the process can serialise them without reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LlmCacheJsonContextAttribute : Attribute
{
    /// <summary>Names the context.</summary>
    public LlmCacheJsonContextAttribute(Type contextType) => ContextType = contextType;

    /// <summary>The <c>JsonSerializerContext</c> type.</summary>
    public Type ContextType { get; }
}
