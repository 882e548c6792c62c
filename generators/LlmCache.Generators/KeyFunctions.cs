using System.Collections.Generic;
using System.Linq;
using System.Threading;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCache.Generators;

/// <summary>
/// Finds and checks the key function an attribute names (<c>[LlmCached(KeyFunction = nameof(F))]</c>, LiteLLM's
/// custom <c>get_cache_key</c>): a static method of the containing type or a base type, taking the method's key
/// parameters in order, that either writes the key (<c>void F(ref CacheKeyWriter writer, ...)</c>) or returns it
/// (<c>string F(...)</c>). Anything else is LLMC0016.
/// </summary>
internal static class KeyFunctions
{
    private const string KeyWriterType = "LlmCache.CacheKeyWriter";

    public static KeyFunctionSpec? Find(
        IMethodSymbol method,
        INamedTypeSymbol containingType,
        string name,
        List<ParameterSpec> parameters,
        AttributeData attribute,
        Compilation compilation,
        MethodDeclarationSyntax syntax,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var keyNames = new HashSet<string>(parameters.Where(p => p.Role == ParameterRole.Key).Select(p => p.Name));
        List<IParameterSymbol> keys = method.Parameters.Where(p => keyNames.Contains(p.Name)).ToList();
        string keyList = string.Join(", ", keys.Select(p => TypeNames.Display(p.Type) + " " + p.Name));
        string writerForm = $"'static void {name}(ref CacheKeyWriter writer{(keyList.Length == 0 ? string.Empty : ", " + keyList)})'";
        string stringForm = $"'static string {name}({keyList})'";

        string? problem = null;
        if (!SyntaxFacts.IsValidIdentifier(name))
        {
            problem = "is not a method name";
        }
        else
        {
            var candidates = new List<IMethodSymbol>();
            for (INamedTypeSymbol? type = containingType; type is not null; type = type.BaseType)
            {
                candidates.AddRange(type.GetMembers(name).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary));
            }

            if (candidates.Count == 0)
            {
                problem = $"is not a method of '{containingType.Name}' or its base types";
            }

            foreach (IMethodSymbol candidate in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? mismatch = Mismatch(candidate, keys, containingType, compilation, out bool returnsString);
                if (mismatch is null)
                {
                    return new KeyFunctionSpec(TypeNames.FullyQualifiedNonNullable(candidate.ContainingType) + "." + LlmCachedMethodEmitter.Escape(name), returnsString);
                }

                problem ??= mismatch;
            }
        }

        Location location = ArgumentLocation(attribute, "KeyFunction", cancellationToken) ?? syntax.Identifier.GetLocation();
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidKeyFunction, location, method.Name, name, problem!, containingType.Name, writerForm, stringForm));
        return null;
    }

    private static string? Mismatch(IMethodSymbol candidate, List<IParameterSymbol> keys, INamedTypeSymbol containingType, Compilation compilation, out bool returnsString)
    {
        returnsString = candidate.ReturnType.SpecialType == SpecialType.System_String;
        if (!candidate.IsStatic)
        {
            return "is not static";
        }

        if (candidate.IsGenericMethod)
        {
            return "is generic";
        }

        if (!compilation.IsSymbolAccessibleWithin(candidate, containingType))
        {
            return $"is not accessible from '{containingType.Name}'";
        }

        int first = 0;
        if (candidate.ReturnsVoid)
        {
            if (candidate.Parameters.Length == 0 || candidate.Parameters[0].RefKind != RefKind.Ref || !TypeNames.IsNamed(candidate.Parameters[0].Type, KeyWriterType))
            {
                return "returns void but does not take 'ref CacheKeyWriter writer' first";
            }

            first = 1;
        }
        else if (!returnsString || candidate.ReturnsByRef || candidate.ReturnsByRefReadonly)
        {
            return $"returns '{TypeNames.Display(candidate.ReturnType)}', not void (writing through a ref CacheKeyWriter) or string";
        }

        if (candidate.Parameters.Length - first != keys.Count)
        {
            return $"takes {candidate.Parameters.Length - first} key parameter(s), and the method has {keys.Count}";
        }

        for (int i = 0; i < keys.Count; i++)
        {
            IParameterSymbol parameter = candidate.Parameters[first + i];
            if (!SymbolEqualityComparer.Default.Equals(parameter.Type, keys[i].Type))
            {
                return $"takes '{TypeNames.Display(parameter.Type)}' where the method's key parameter '{keys[i].Name}' is '{TypeNames.Display(keys[i].Type)}'";
            }

            if (parameter.RefKind is RefKind.Ref or RefKind.Out or RefKind.RefReadOnlyParameter)
            {
                return $"takes '{parameter.Name}' by reference";
            }
        }

        return null;
    }

    /// <summary>The value of the named argument as written, or null.</summary>
    public static Location? ArgumentLocation(AttributeData attribute, string argumentName, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } arguments })
        {
            foreach (AttributeArgumentSyntax argument in arguments.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == argumentName)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return null;
    }
}
