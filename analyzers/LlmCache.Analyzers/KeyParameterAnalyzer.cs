using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LlmCache.Analyzers;

/// <summary>
/// Checks the key parameters of <c>[LlmCached]</c> methods: LLMC1002 (unordered collection), LLMC1003 (no stable
/// key form) and LLMC1004 (a name that says the value is a secret).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KeyParameterAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnorderedCollectionKeyParameter,
        DiagnosticDescriptors.UnstableKeyParameterType,
        DiagnosticDescriptors.SecretKeyParameter);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Analyze and report in generated code: the generator marks a cached method's implementing part
        // [GeneratedCode], the compiler merges a partial method's attributes, and the driver then takes the user's
        // own declaration for generated code. With None, these rules would never run in a real build.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(static start =>
        {
            if (LlmCacheSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var types = new KeyParameterTypes(start.Compilation, symbols);
            start.RegisterSymbolAction(c => AnalyzeMethod(c, symbols, types), SymbolKind.Method);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, LlmCacheSymbols symbols, KeyParameterTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            // The implementing part: its declaration (the user's, where the diagnostics belong) is analyzed on its own.
            return;
        }

        if (symbols.GetLlmCachedAttribute(method) is null)
        {
            return;
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (!symbols.IsKeyParameter(parameter) || parameter.Locations.IsEmpty)
            {
                continue;
            }

            if (SecretNames.LooksLikeSecret(parameter.Name))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SecretKeyParameter, parameter.Locations[0], parameter.Name));
            }

            string typeName = parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (types.FindUnstableReason(parameter.Type) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnstableKeyParameterType, TypeLocation(parameter, context.CancellationToken), parameter.Name, typeName, reason));
            }
            else if (types.IsUnordered(parameter.Type))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnorderedCollectionKeyParameter, TypeLocation(parameter, context.CancellationToken), parameter.Name, typeName));
            }
        }
    }

    /// <summary>The parameter's type as written, where a type diagnostic belongs.</summary>
    private static Location TypeLocation(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type })
            {
                return type.GetLocation();
            }
        }

        return parameter.Locations[0];
    }
}
