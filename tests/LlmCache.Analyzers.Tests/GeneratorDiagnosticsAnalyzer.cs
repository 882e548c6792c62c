using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LlmCache.Analyzers.Tests;

/// <summary>
/// Stands in for the source generator's structural diagnostics that the code fixes repair, so that the fixes can
/// be tested without the generator: LLMC0001 at a cached method that is not partial, LLMC0002 at each containing
/// type that is not partial, LLMC0003 at a cached method whose implementation method does not exist.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GeneratorDiagnosticsAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor MethodNotPartial = new(
        "LLMC0001", "Method not partial", "Cached method '{0}' must be partial", "LlmCache.Generator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor TypeNotPartial = new(
        "LLMC0002", "Type not partial", "Type '{0}' contains a cached method and must be partial", "LlmCache.Generator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor ImplementationNotFound = new(
        "LLMC0003", "Implementation not found", "Cached method '{0}' has no implementation method '{1}'", "LlmCache.Generator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(MethodNotPartial, TypeNotPartial, ImplementationNotFound);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // The real generator reports these whether or not the analyzer driver counts the code as generated, and the
        // driver does count a cached method as generated once its implementing part carries [GeneratedCode].
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
        context.RegisterSyntaxNodeAction(
            AnalyzeType, SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration, SyntaxKind.RecordDeclaration, SyntaxKind.RecordStructDeclaration);
    }

    private static void AnalyzeType(SyntaxNodeAnalysisContext context)
    {
        var type = (TypeDeclarationSyntax)context.Node;
        if (!type.Modifiers.Any(SyntaxKind.PartialKeyword) &&
            type.DescendantNodes().OfType<MethodDeclarationSyntax>().Any(m => IsCached(context, m)))
        {
            context.ReportDiagnostic(Diagnostic.Create(TypeNotPartial, type.Identifier.GetLocation(), type.Identifier.Text));
        }
    }

    private static bool IsCached(SyntaxNodeAnalysisContext context, MethodDeclarationSyntax method) =>
        context.SemanticModel.GetDeclaredSymbol(method, context.CancellationToken) is { } symbol &&
        LlmCacheSymbols.TryCreate(context.Compilation)?.GetLlmCachedAttribute(symbol) is not null;

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
    {
        var method = (MethodDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol ||
            symbol.PartialDefinitionPart is not null ||
            LlmCacheSymbols.TryCreate(context.Compilation)?.GetLlmCachedAttribute(symbol) is not { } attribute)
        {
            return;
        }

        if (!method.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            context.ReportDiagnostic(Diagnostic.Create(MethodNotPartial, method.Identifier.GetLocation(), symbol.Name));
        }

        string implementation = LlmCacheSymbols.GetImplementationName(symbol, attribute);
        if (symbol.ContainingType.GetMembers(implementation).All(m => SymbolEqualityComparer.Default.Equals(m, symbol)))
        {
            context.ReportDiagnostic(Diagnostic.Create(ImplementationNotFound, method.Identifier.GetLocation(), symbol.Name, implementation));
        }
    }
}
