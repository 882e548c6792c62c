using System.Collections.Generic;
using System.Linq;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators;

/// <summary>
/// Finds embedding methods cached per input: a <c>Task</c> or <c>ValueTask</c> of
/// <c>GeneratedEmbeddings&lt;TEmbedding&gt;</c> with one list-of-strings parameter. That parameter is not part of the
/// method's key; the runtime keys each of its strings, with the other key inputs, as its own entry.
/// </summary>
internal static class EmbeddingMethods
{
    private const string GeneratedEmbeddingsType = "Microsoft.Extensions.AI.GeneratedEmbeddings`1";
    private const string EmbeddingType = "Microsoft.Extensions.AI.Embedding";

    // The runtime hands the missing inputs over as a string[], which each of these accepts as it is.
    private static readonly HashSet<string> ArrayCompatible = new()
    {
        "System.Collections.Generic.IEnumerable`1",
        "System.Collections.Generic.IList`1",
        "System.Collections.Generic.IReadOnlyList`1",
        "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.IReadOnlyCollection`1",
    };

    /// <summary>The per-input shape of the method, or <c>null</c> when it is cached as one call.</summary>
    public static EmbeddingInputs? Detect(IMethodSymbol method, ReturnKind returnKind, ITypeSymbol? resultType, System.Func<IParameterSymbol, bool> isKeyInput)
    {
        if (returnKind == ReturnKind.Sync || resultType is not INamedTypeSymbol { IsGenericType: true } results ||
            !TypeNames.IsNamed(results.OriginalDefinition, GeneratedEmbeddingsType) || !DerivesFromEmbedding(results.TypeArguments[0]))
        {
            return null;
        }

        List<(int Index, string Conversion)> candidates = method.Parameters
            .Select((p, i) => (Index: i, Conversion: isKeyInput(p) ? Conversion(p.Type) : null))
            .Where(c => c.Conversion is not null)
            .Select(c => (c.Index, c.Conversion!))
            .ToList();
        return candidates.Count == 1
            ? new EmbeddingInputs(candidates[0].Index, candidates[0].Conversion, results.TypeArguments[0], TypeNames.FullyQualified(results))
            : null;
    }

    /// <summary>How the missing inputs (<c>{0}</c>, a <c>string[]</c>) become the parameter's type, or <c>null</c> for another type.</summary>
    private static string? Conversion(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_String })
        {
            return "{0}";
        }

        if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named || named.TypeArguments[0].SpecialType != SpecialType.System_String)
        {
            return null;
        }

        string definition = TypeNames.Metadata(named.OriginalDefinition);
        return ArrayCompatible.Contains(definition) ? "{0}"
            : definition == "System.Collections.Generic.List`1" ? "new global::System.Collections.Generic.List<string>({0})"
            : null;
    }

    private static bool DerivesFromEmbedding(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (TypeNames.IsNamed(current, EmbeddingType))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The list-of-strings parameter of an embedding method cached per input.</summary>
/// <param name="ParameterIndex">Its position among the method's parameters.</param>
/// <param name="Conversion">How the missing inputs become its type (a format with <c>{0}</c>).</param>
/// <param name="Embedding">The embedding type, what each entry holds.</param>
/// <param name="ResultsType">The method's result type, <c>GeneratedEmbeddings&lt;TEmbedding&gt;</c>, fully qualified.</param>
internal sealed record EmbeddingInputs(int ParameterIndex, string Conversion, ITypeSymbol Embedding, string ResultsType);
