using Microsoft.CodeAnalysis;

namespace LlmCache.Analyzers;

/// <summary>Classifies the types of key parameters: unordered collections, and types with no stable key form.</summary>
internal sealed class KeyParameterTypes
{
    private const int MaxElementDepth = 4;

    private readonly INamedTypeSymbol?[] _unorderedInterfaces;
    private readonly INamedTypeSymbol?[] _unorderedClasses;
    private readonly INamedTypeSymbol?[] _orderedCollections;
    private readonly INamedTypeSymbol?[] _supportedWithoutMembers;
    private readonly INamedTypeSymbol?[] _tasks;
    private readonly INamedTypeSymbol? _keyValuePair;
    private readonly INamedTypeSymbol? _enumerable;
    private readonly INamedTypeSymbol? _enumerableOfT;
    private readonly INamedTypeSymbol? _cacheKeyWritable;

    public KeyParameterTypes(Compilation compilation, LlmCacheSymbols symbols)
    {
        _unorderedInterfaces =
        [
            compilation.GetTypeByMetadataName("System.Collections.Generic.ISet`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlySet`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IDictionary`2"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2"),
            compilation.GetTypeByMetadataName("System.Collections.IDictionary"),
        ];
        _unorderedClasses =
        [
            compilation.GetTypeByMetadataName("System.Collections.Concurrent.ConcurrentBag`1"),
        ];

        // Collections with a defined order, even though they implement a set or dictionary interface.
        _orderedCollections =
        [
            compilation.GetTypeByMetadataName("System.Collections.Generic.SortedDictionary`2"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.SortedList`2"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.SortedSet`1"),
            compilation.GetTypeByMetadataName("System.Collections.Generic.OrderedDictionary`2"),
            compilation.GetTypeByMetadataName("System.Collections.SortedList"),
            compilation.GetTypeByMetadataName("System.Collections.Specialized.OrderedDictionary"),
            compilation.GetTypeByMetadataName("System.Collections.Specialized.ListDictionary"),
            compilation.GetTypeByMetadataName("System.Collections.Immutable.ImmutableSortedDictionary`2"),
            compilation.GetTypeByMetadataName("System.Collections.Immutable.ImmutableSortedSet`1"),
        ];

        // Key inputs the key writer handles itself, though they expose no public instance data.
        _supportedWithoutMembers =
        [
            compilation.GetTypeByMetadataName("System.Guid"),
            compilation.GetTypeByMetadataName("System.Half"),
            compilation.GetTypeByMetadataName("System.Int128"),
            compilation.GetTypeByMetadataName("System.UInt128"),
            compilation.GetTypeByMetadataName("System.IO.Stream"),
        ];
        _tasks =
        [
            compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"),
            compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask"),
            compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1"),
        ];
        _keyValuePair = compilation.GetTypeByMetadataName("System.Collections.Generic.KeyValuePair`2");
        _enumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
        _enumerableOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
        _cacheKeyWritable = symbols.CacheKeyWritable;
    }

    /// <summary>Whether <paramref name="type"/> is a set, dictionary or bag whose enumeration order is not defined.</summary>
    public bool IsUnordered(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named || InheritsFromAny(named, _orderedCollections))
        {
            return false;
        }

        if (IsAny(named, _unorderedInterfaces) || InheritsFromAny(named, _unorderedClasses))
        {
            return true;
        }

        foreach (INamedTypeSymbol implemented in named.AllInterfaces)
        {
            if (IsAny(implemented, _unorderedInterfaces))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why <paramref name="type"/> has no stable key form, or <c>null</c> when it has one.</summary>
    public string? FindUnstableReason(ITypeSymbol type) => FindUnstableReason(type, depth: 0);

    private string? FindUnstableReason(ITypeSymbol type, int depth)
    {
        switch (type.TypeKind)
        {
            case TypeKind.Dynamic:
                return "a dynamic value has no type known at compile time";
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
                return "a pointer is an address, not data";
            case TypeKind.Delegate:
                return "a delegate is code, not data";
            case TypeKind.TypeParameter:
            case TypeKind.Enum:
            case TypeKind.Error:
                return null;
            case TypeKind.Array:
                return ElementReason(((IArrayTypeSymbol)type).ElementType, depth);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Object:
                return "an object's contents are not known at compile time";
            case SpecialType.System_Delegate:
            case SpecialType.System_MulticastDelegate:
                return "a delegate is code, not data";
            case SpecialType.System_Nullable_T:
            case SpecialType.None:
                break;
            default:
                return null;
        }

        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return FindUnstableReason(named.TypeArguments[0], depth);
        }

        // A dictionary's entries: the key and the value are written, so both need a key form.
        if (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _keyValuePair))
        {
            return PartReason("keys", named.TypeArguments[0], depth) ?? PartReason("values", named.TypeArguments[1], depth);
        }

        if (InheritsFromAny(named, _tasks))
        {
            return "a task is a pending operation: await it and pass its result";
        }

        if (Implements(named, _cacheKeyWritable) || InheritsFromAny(named, _supportedWithoutMembers))
        {
            return null;
        }

        if (IsOrImplements(named, _enumerable))
        {
            return FindElementType(named) is { } element ? ElementReason(element, depth) : null;
        }

        return HasPublicReadableData(named) ? null : "it has no public readable properties or fields";
    }

    private string? ElementReason(ITypeSymbol element, int depth) => PartReason("elements", element, depth);

    private string? PartReason(string part, ITypeSymbol type, int depth)
    {
        if (depth >= MaxElementDepth || FindUnstableReason(type, depth + 1) is not { } reason)
        {
            return null;
        }

        return "its " + part + " are '" + type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "': " + reason;
    }

    private ITypeSymbol? FindElementType(INamedTypeSymbol type)
    {
        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _enumerableOfT))
        {
            return type.TypeArguments[0];
        }

        ITypeSymbol? element = null;
        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, _enumerableOfT))
            {
                if (element is not null)
                {
                    // Enumerable of two element types: which one the key builder uses is the generator's call.
                    return null;
                }

                element = implemented.TypeArguments[0];
            }
        }

        return element;
    }

    private static bool HasPublicReadableData(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            if (HasPublicReadableMember(current))
            {
                return true;
            }
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (INamedTypeSymbol inherited in type.AllInterfaces)
            {
                if (HasPublicReadableMember(inherited))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasPublicReadableMember(INamedTypeSymbol type)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            switch (member)
            {
                case IPropertySymbol { IsIndexer: false, GetMethod.DeclaredAccessibility: Accessibility.Public }:
                case IFieldSymbol { IsImplicitlyDeclared: false }:
                    return true;
            }
        }

        return false;
    }

    private static bool IsOrImplements(INamedTypeSymbol type, INamedTypeSymbol? wellKnown) =>
        SymbolEqualityComparer.Default.Equals(type, wellKnown) || Implements(type, wellKnown);

    private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol? wellKnown)
    {
        if (wellKnown is null)
        {
            return false;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, wellKnown))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAny(INamedTypeSymbol type, INamedTypeSymbol?[] candidates)
    {
        foreach (INamedTypeSymbol? candidate in candidates)
        {
            if (candidate is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InheritsFromAny(INamedTypeSymbol type, INamedTypeSymbol?[] candidates)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (IsAny(current, candidates))
            {
                return true;
            }
        }

        return false;
    }
}
