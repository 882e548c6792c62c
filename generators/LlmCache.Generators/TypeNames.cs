using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>How the generator names types: <c>global::</c>-qualified in code, readable in messages.</summary>
internal static class TypeNames
{
    private static readonly SymbolDisplayFormat FullyQualifiedNullable = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat FullyQualifiedNoGlobal = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    // A namespace's name is asked for with nearly every type the parse compares, and a compilation has few namespaces:
    // each name is made once, kept with its symbol (which never changes) for as long as the compilation lives.
    private static readonly ConditionalWeakTable<INamespaceSymbol, string> NamespaceNames = new();

    /// <summary><c>global::</c>-qualified, with nullable annotations: for declarations that must match the user's.</summary>
    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(FullyQualifiedNullable);

    /// <summary><c>global::</c>-qualified, without nullable annotations.</summary>
    public static string FullyQualifiedNonNullable(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>Qualified without <c>global::</c>: for identities and messages.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(FullyQualifiedNoGlobal);

    /// <summary>The namespace's dotted name, such as <c>System.Collections.Generic</c>.</summary>
    public static string Namespace(INamespaceSymbol ns) => NamespaceNames.GetValue(ns, static n => n.ToDisplayString());

    /// <summary>The metadata name with its namespace, such as <c>System.Collections.Generic.List`1</c>.</summary>
    public static string Metadata(ITypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        INamespaceSymbol? ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : Namespace(ns) + "." + name;
    }

    /// <summary>
    /// Whether <see cref="Metadata"/> of the type is <paramref name="metadataName"/>. The parse asks this of nearly
    /// every type it meets, and most are not the one asked for: a name the type's own does not appear in is told
    /// apart without making the whole name.
    /// </summary>
    public static bool IsNamed(ITypeSymbol type, string metadataName) =>
        metadataName.IndexOf(type.Name, System.StringComparison.Ordinal) >= 0 && Metadata(type) == metadataName;

    /// <summary>
    /// Whether the type is the framework's: its metadata name starts with <c>System.</c> or <c>Microsoft.</c>,
    /// read from its outermost namespace without making the name.
    /// </summary>
    public static bool IsFramework(ITypeSymbol type)
    {
        INamespaceSymbol? outermost = null;
        for (INamespaceSymbol? ns = type.OriginalDefinition.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            outermost = ns;
        }

        return outermost?.Name is "System" or "Microsoft";
    }
}
