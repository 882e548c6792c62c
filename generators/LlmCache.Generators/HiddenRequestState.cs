using System.Linq;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>
/// Finds a key input of a user type derived from a Microsoft.Extensions.AI request type (<c>ChatOptions</c>,
/// <c>ChatMessage</c>, <c>AIContent</c>) that adds state of its own: the runtime's writers key the request by the
/// base type's members, so that state (a tenant, a per-request identifier) would not be in the key (LLMC0013).
/// </summary>
internal static class HiddenRequestState
{
    public const string ChatOptionsType = "Microsoft.Extensions.AI.ChatOptions";
    public const string ChatMessageType = "Microsoft.Extensions.AI.ChatMessage";
    private const string AIContentType = "Microsoft.Extensions.AI.AIContent";

    /// <summary>The parameter's type (or its list's or array's element type), the MEAI base it derives from and its first added member; <c>null</c> when there is none.</summary>
    public static (ITypeSymbol Type, INamedTypeSymbol Base, string Member)? Find(ITypeSymbol parameterType)
    {
        ITypeSymbol type = ElementOf(parameterType) ?? parameterType;
        if (type is not INamedTypeSymbol named || TypeNames.IsFramework(named) || ImplementsCacheKeyWritable(named))
        {
            return null;
        }

        string? member = null;
        for (INamedTypeSymbol? current = named; current is not null; current = current.BaseType)
        {
            if (TypeNames.IsFramework(current))
            {
                bool request = TypeNames.Metadata(current.OriginalDefinition) is ChatOptionsType or ChatMessageType || DerivesFrom(current, AIContentType);
                return request && member is not null ? (type, current, member) : null;
            }

            // Every instance field counts, private ones and the backing fields of auto-properties too: any of them
            // may reach the provider, and none is in the key.
            member ??= current.GetMembers().OfType<IFieldSymbol>()
                .Where(f => !f.IsStatic && !f.IsConst)
                .Select(f => f.AssociatedSymbol?.Name ?? f.Name)
                .FirstOrDefault();
        }

        return null;
    }

    private static ITypeSymbol? ElementOf(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } list when TypeNames.Metadata(list.OriginalDefinition) is
            "System.Collections.Generic.List`1" or "System.Collections.Generic.IList`1" or "System.Collections.Generic.IReadOnlyList`1" => list.TypeArguments[0],
        _ => null,
    };

    private static bool DerivesFrom(INamedTypeSymbol type, string baseName)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (TypeNames.IsNamed(current.OriginalDefinition, baseName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ImplementsCacheKeyWritable(INamedTypeSymbol type) =>
        type.OriginalDefinition.AllInterfaces.Any(i => TypeNames.IsNamed(i, "LlmCache.ICacheKeyWritable"));
}
