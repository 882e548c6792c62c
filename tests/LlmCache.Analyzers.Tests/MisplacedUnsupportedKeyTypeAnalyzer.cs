using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LlmCache.Analyzers.Tests;

/// <summary>
/// Reports the generator's ID LLMC0007 where the generator never does: at the type of every parameter of a method
/// without <c>[LlmCached]</c> and of every lambda. The "Add [NotCacheKey]" fix must not be offered there.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MisplacedUnsupportedKeyTypeAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor UnsupportedKeyType = new(
        "LLMC0007", "Key parameter has no stable key form", "Parameter has no stable key form", "LlmCache.Generator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(UnsupportedKeyType);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(AnalyzeParameter, SyntaxKind.Parameter);
    }

    private static void AnalyzeParameter(SyntaxNodeAnalysisContext context)
    {
        var parameter = (ParameterSyntax)context.Node;
        if (parameter.Type is null)
        {
            return;
        }

        bool inCachedMethod = parameter.Parent?.Parent is MethodDeclarationSyntax method &&
            context.SemanticModel.GetDeclaredSymbol(method, context.CancellationToken) is { } symbol &&
            LlmCacheSymbols.TryCreate(context.Compilation)?.GetLlmCachedAttribute(symbol) is not null;
        if (!inCachedMethod)
        {
            context.ReportDiagnostic(Diagnostic.Create(UnsupportedKeyType, parameter.Type.GetLocation()));
        }
    }
}
