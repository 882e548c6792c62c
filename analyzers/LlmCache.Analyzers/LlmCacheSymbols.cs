using Microsoft.CodeAnalysis;

namespace LlmCache.Analyzers;

/// <summary>
/// The LlmCache types the analyzers look for, resolved once per compilation. A compilation without
/// <c>LlmCache.LlmCachedAttribute</c> gets none, and the analyzers register nothing for it.
/// </summary>
internal sealed class LlmCacheSymbols
{
    public const string LlmCachedAttributeName = "LlmCache.LlmCachedAttribute";

    /// <summary>The suffix of an implementation method's default name.</summary>
    public const string ImplementationSuffix = "Core";

    private LlmCacheSymbols(Compilation compilation, INamedTypeSymbol llmCachedAttribute)
    {
        LlmCachedAttribute = llmCachedAttribute;
        NotCacheKeyAttribute = compilation.GetTypeByMetadataName("LlmCache.NotCacheKeyAttribute");
        CacheControl = compilation.GetTypeByMetadataName("LlmCache.CacheControl");
        CacheType = compilation.GetTypeByMetadataName("LlmCache.CacheType");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
    }

    public INamedTypeSymbol LlmCachedAttribute { get; }

    public INamedTypeSymbol? NotCacheKeyAttribute { get; }

    public INamedTypeSymbol? CacheControl { get; }

    public INamedTypeSymbol? CacheType { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary>Returns the symbols, or <c>null</c> when the compilation does not reference LlmCache.</summary>
    public static LlmCacheSymbols? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName(LlmCachedAttributeName) is { } attribute ? new LlmCacheSymbols(compilation, attribute) : null;

    /// <summary>The <c>[LlmCached]</c> attribute of <paramref name="method"/>, or <c>null</c>.</summary>
    public AttributeData? GetLlmCachedAttribute(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, LlmCachedAttribute))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="parameter"/> goes into the key: every parameter does, except a
    /// <c>CancellationToken</c>, a <c>CacheControl</c> and one marked <c>[NotCacheKey]</c>.
    /// </summary>
    public bool IsKeyParameter(IParameterSymbol parameter)
    {
        ITypeSymbol type = parameter.Type;
        if (SymbolEqualityComparer.Default.Equals(type, CancellationToken) || SymbolEqualityComparer.Default.Equals(type, CacheControl))
        {
            return false;
        }

        foreach (AttributeData attribute in parameter.GetAttributes())
        {
            if (NotCacheKeyAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, NotCacheKeyAttribute))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name of the implementation method of a cached method: <c>Implementation</c>, or its name + <c>Core</c>.</summary>
    public static string GetImplementationName(IMethodSymbol cachedMethod, AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Implementation" && argument.Value.Value is string name)
            {
                return name;
            }
        }

        return cachedMethod.Name + ImplementationSuffix;
    }
}
