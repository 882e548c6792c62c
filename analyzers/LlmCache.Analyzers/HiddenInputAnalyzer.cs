using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LlmCache.Analyzers;

/// <summary>
/// LLMC1005: the implementation method of an <c>[LlmCached]</c> method (its name + <c>Core</c>, or the attribute's
/// <c>Implementation</c>) reads a mutable field or settable property of its own type, so the cached result
/// depends on state that is not part of the key.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HiddenInputAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.HiddenInput);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (LlmCacheSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            // Only the method bodies of types with cached methods are looked at: the others cost no operation trees.
            start.RegisterSymbolStartAction(
                typeStart =>
                {
                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    Dictionary<string, IMethodSymbol> cachedByImplementation = FindCachedMethods(type, symbols);
                    if (cachedByImplementation.Count > 0)
                    {
                        typeStart.RegisterOperationBlockStartAction(block => AnalyzeBlock(block, type, cachedByImplementation));
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeBlock(OperationBlockStartAnalysisContext context, INamedTypeSymbol type, Dictionary<string, IMethodSymbol> cachedByImplementation)
    {
        if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } implementation ||
            !SymbolEqualityComparer.Default.Equals(implementation.ContainingType, type) ||
            !cachedByImplementation.TryGetValue(implementation.Name, out IMethodSymbol? cachedMethod) ||
            SymbolEqualityComparer.Default.Equals(cachedMethod, implementation))
        {
            return;
        }

        var reads = new ConcurrentDictionary<ISymbol, Location>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            c =>
            {
                if (FindHiddenInput(c.Operation, type) is { } member)
                {
                    Location location = c.Operation.Syntax.GetLocation();
                    reads.AddOrUpdate(member, location, (_, existing) => existing.SourceSpan.Start <= location.SourceSpan.Start ? existing : location);
                }
            },
            OperationKind.FieldReference,
            OperationKind.PropertyReference);

        context.RegisterOperationBlockEndAction(c =>
        {
            foreach (KeyValuePair<ISymbol, Location> read in reads)
            {
                c.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.HiddenInput,
                    read.Value,
                    implementation.Name,
                    cachedMethod.Name,
                    read.Key is IFieldSymbol ? "field" : "property",
                    read.Key.Name));
            }
        });
    }

    /// <summary>The cached methods of <paramref name="type"/>, by the name of their implementation method.</summary>
    private static Dictionary<string, IMethodSymbol> FindCachedMethods(INamedTypeSymbol type, LlmCacheSymbols symbols)
    {
        var result = new Dictionary<string, IMethodSymbol>();
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol method && symbols.GetLlmCachedAttribute(method) is { } attribute)
            {
                string name = LlmCacheSymbols.GetImplementationName(method, attribute);
                if (!result.TryGetValue(name, out IMethodSymbol? existing) || string.CompareOrdinal(method.Name, existing.Name) < 0)
                {
                    result[name] = method;
                }
            }
        }

        return result;
    }

    /// <summary>The mutable member of <paramref name="type"/> that <paramref name="operation"/> reads, or <c>null</c>.</summary>
    private static ISymbol? FindHiddenInput(IOperation operation, INamedTypeSymbol type)
    {
        ISymbol member;
        IOperation? instance;
        switch (operation)
        {
            case IFieldReferenceOperation { Field: { IsConst: false, IsReadOnly: false } field } reference:
                member = field;
                instance = reference.Instance;
                break;
            case IPropertyReferenceOperation { Property: { IsIndexer: false, SetMethod: { IsInitOnly: false } } property } reference:
                member = property;
                instance = reference.Instance;
                break;
            default:
                return null;
        }

        bool onThisInstance = instance is null ? member.IsStatic : instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
        return onThisInstance && IsWrittenOnly(operation) is false && IsMemberOf(member, type) ? member : null;
    }

    /// <summary>Whether <paramref name="reference"/> is the target of a plain assignment, which writes without reading.</summary>
    private static bool IsWrittenOnly(IOperation reference) =>
        reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    private static bool IsMemberOf(ISymbol member, INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(member.ContainingType.OriginalDefinition, current.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }
}
