using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using LlmCache.Generators;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LlmCache.Analyzers;

/// <summary>
/// Checks the key parameters of <c>[LlmCached]</c> methods: LLMC1002 (an unordered collection, which the generated
/// key builder sorts on every call) and LLMC1004 (a name that says the value is a secret). A key parameter with no
/// stable key form is the generator's error LLMC0007, not reported here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KeyParameterAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnorderedCollectionKeyParameter,
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

            start.RegisterSymbolAction(c => AnalyzeMethod(c, symbols), SymbolKind.Method);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, LlmCacheSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            // The implementing part: its declaration (the user's, where the diagnostics belong) is analyzed on its own.
            return;
        }

        if (symbols.GetLlmCachedAttribute(method) is not { } attribute)
        {
            return;
        }

        // A key function writes the key itself, in whatever order it chooses: the generator sorts nothing for it.
        bool keyedByFunction = attribute.NamedArguments.Any(a => a.Key == "KeyFunction" && a.Value.Value is string);

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

            if (!keyedByFunction && IsWrittenInCanonicalOrder(parameter.Type))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnorderedCollectionKeyParameter,
                    TypeLocation(parameter, context.CancellationToken),
                    parameter.Name,
                    parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }
        }
    }

    /// <summary>
    /// Whether the generated key builder writes <paramref name="type"/> as an unordered collection: each entry into
    /// its own byte array, sorted. Asks the generator's own parser, so a collection the generator cannot key at all
    /// (LLMC0007) or writes in its own order is not reported.
    /// </summary>
    private static bool IsWrittenInCanonicalOrder(ITypeSymbol type) =>
        new KeyShapeParser().Parse(type, out _) is { Kind: ShapeKind.Set };

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
