using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using LlmCache.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using GeneratorDescriptors = LlmCache.Generators.DiagnosticDescriptors;

namespace LlmCache.Analyzers.Tests;

/// <summary>
/// Runs the real LlmCache source generator over the compilation and reports its diagnostics as an analyzer's: the
/// testing library hands only analyzer and compiler diagnostics to code fixes, never a generator's. IDs, messages
/// and spans are the generator's own. The generator reports at a file path and span (its pipeline holds no syntax
/// trees); like the IDE, this maps the path back to the document's syntax tree. The method bodies the generator
/// writes are not added (analyzers cannot add sources); <see cref="ImplementingPartGenerator"/> stands in for them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RealGeneratorDiagnosticsAnalyzer : DiagnosticAnalyzer
{
    // Diagnostic.WithLocation is internal; it keeps the descriptor and the message arguments.
    private static readonly MethodInfo WithLocation = typeof(Diagnostic).GetMethod("WithLocation", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Diagnostic.WithLocation(Location) is not in this Roslyn version.");

    /// <summary>Every descriptor of the generator's catalogue.</summary>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = typeof(GeneratorDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        // Per document, so that each diagnostic is local to the document a code fix edits.
        context.RegisterSemanticModelAction(static c =>
        {
            SyntaxTree tree = c.SemanticModel.SyntaxTree;
            CSharpGeneratorDriver.Create([new LlmCachedGenerator().AsSourceGenerator()], parseOptions: (CSharpParseOptions)tree.Options)
                .RunGeneratorsAndUpdateCompilation(c.SemanticModel.Compilation, out _, out ImmutableArray<Diagnostic> diagnostics, c.CancellationToken);
            foreach (Diagnostic diagnostic in diagnostics.Where(d => d.Location.GetLineSpan().Path == tree.FilePath))
            {
                c.ReportDiagnostic((Diagnostic)WithLocation.Invoke(diagnostic, [Location.Create(tree, diagnostic.Location.SourceSpan)])!);
            }
        });
    }
}
