using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LlmCache.Analyzers;

/// <summary>
/// LLMC1001: a call to an <c>[LlmCached]</c> method passes a value that differs on every call
/// (the clock, a random number, a new GUID, ...) into a key parameter.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonDeterministicKeyArgumentAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NonDeterministicKeyArgument);

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

            var values = new NonDeterministicValues(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, values), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, LlmCacheSymbols symbols, NonDeterministicValues values)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod.OriginalDefinition;
        if (symbols.GetLlmCachedAttribute(method) is null)
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter ||
                !symbols.IsKeyParameter(parameter.OriginalDefinition))
            {
                continue;
            }

            // The elements of an implicit params array are the arguments the caller wrote.
            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { IsImplicit: true, Initializer: { } elements })
            {
                foreach (IOperation element in elements.ElementValues)
                {
                    Report(context, values, element, parameter, method);
                }
            }
            else
            {
                Report(context, values, argument.Value, parameter, method);
            }
        }
    }

    private static void Report(OperationAnalysisContext context, NonDeterministicValues values, IOperation value, IParameterSymbol parameter, IMethodSymbol method)
    {
        if (values.FindSource(value) is { } source)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.NonDeterministicKeyArgument,
                value.Syntax.GetLocation(),
                parameter.Name,
                method.ContainingType.Name + "." + method.Name,
                source));
        }
    }
}
