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
/// depends on state that is not part of the key. A member the implementation only updates (a call counter) is not
/// an input: its value never reaches the result.
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
        return onThisInstance && !IsOnlyWritten(operation, member) && IsMemberOf(member, type) ? member : null;
    }

    /// <summary>
    /// Whether <paramref name="reference"/> only stores into <paramref name="member"/>, so its value cannot reach the
    /// result: the target of a plain assignment, or an update whose value is thrown away (<c>Calls++</c>,
    /// <c>_calls += 1</c>, <c>_calls = _calls + 1</c>, <c>Interlocked.Increment(ref _calls)</c>), as a counter of
    /// calls does. Any other reference to the member, in the same method, is still a read.
    /// </summary>
    private static bool IsOnlyWritten(IOperation reference, ISymbol member)
    {
        switch (reference.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                return true;
            case IIncrementOrDecrementOperation update when update.Target == reference:
                return IsDiscarded(update);
            case ICompoundAssignmentOperation update when update.Target == reference:
                return IsDiscarded(update);
            case IArgumentOperation { Parent: IInvocationOperation invocation } argument
                when argument.Parameter?.RefKind == RefKind.Ref && IsAtomicUpdate(invocation.TargetMethod):
                return IsDiscarded(invocation);
        }

        // _calls = _calls + 1: read only for the value stored back into the same member.
        IOperation value = reference;
        while (value.Parent is IBinaryOperation or IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        return value.Parent is ISimpleAssignmentOperation store && store.Value == value && IsSameMember(store.Target, member) && IsDiscarded(store);
    }

    /// <summary>Whether an expression's value is thrown away: a statement of its own, or assigned to <c>_</c>.</summary>
    private static bool IsDiscarded(IOperation operation) =>
        operation.Parent is IExpressionStatementOperation ||
        operation.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard && discard.Value == operation;

    /// <summary>The atomic updates of a location passed by <c>ref</c>, which return the value only to a caller that wants it.</summary>
    private static bool IsAtomicUpdate(IMethodSymbol method) =>
        method.ContainingType is { Name: "Interlocked", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } &&
        method.Name is "Increment" or "Decrement" or "Add" or "Exchange" or "And" or "Or";

    private static bool IsSameMember(IOperation target, ISymbol member) => target switch
    {
        IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, member) && IsThisOrStatic(field.Instance),
        IPropertyReferenceOperation property => SymbolEqualityComparer.Default.Equals(property.Property, member) && IsThisOrStatic(property.Instance),
        _ => false,
    };

    private static bool IsThisOrStatic(IOperation? instance) =>
        instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

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
