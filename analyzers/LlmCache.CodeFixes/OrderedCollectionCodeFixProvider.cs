using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace LlmCache.CodeFixes;

/// <summary>
/// Fixes LLMC1002 on the cached method's parameter: replaces a set of <c>T</c> by <c>IReadOnlyList&lt;T&gt;</c> and a
/// dictionary by <c>IReadOnlyList&lt;KeyValuePair&lt;K, V&gt;&gt;</c>, in the cached method and in the implementation
/// method's parameter of the same name and type. Callers then pass the elements in an order they choose.
/// Not offered when the collection has no single generic element type to name.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OrderedCollectionCodeFixProvider)), Shared]
public sealed class OrderedCollectionCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnorderedCollectionKeyParameterId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter ||
                parameter.Parent?.Parent is not MethodDeclarationSyntax ||
                model.GetDeclaredSymbol(parameter, context.CancellationToken) is not IParameterSymbol { ContainingSymbol: IMethodSymbol method } symbol ||
                LlmCacheSymbols.TryCreate(model.Compilation) is not { } symbols ||
                symbols.GetLlmCachedAttribute(method) is not { } attribute ||
                OrderedCounterpart(symbol.Type, model.Compilation) is not { } replacement)
            {
                continue;
            }

            string title = "Take an ordered " + replacement.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " instead";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ReplaceAsync(context.Document, method, LlmCacheSymbols.GetImplementationName(method, attribute), symbol, replacement, ct), equivalenceKey: nameof(OrderedCollectionCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary><c>IReadOnlyList</c> of the collection's element type, or <c>null</c> when it has no single generic element type.</summary>
    private static INamedTypeSymbol? OrderedCounterpart(ITypeSymbol type, Compilation compilation)
    {
        INamedTypeSymbol? enumerable = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
        INamedTypeSymbol? readOnlyList = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1");
        if (readOnlyList is null || type is not INamedTypeSymbol named)
        {
            return null;
        }

        ITypeSymbol? element = null;
        foreach (INamedTypeSymbol candidate in named.AllInterfaces.Add(named))
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, enumerable))
            {
                if (element is not null && !SymbolEqualityComparer.Default.Equals(element, candidate.TypeArguments[0]))
                {
                    return null;
                }

                element = candidate.TypeArguments[0];
            }
        }

        return element is null ? null : readOnlyList.Construct(element);
    }

    private static async Task<Solution> ReplaceAsync(Document document, IMethodSymbol method, string implementationName, IParameterSymbol parameter, INamedTypeSymbol replacement, CancellationToken cancellationToken)
    {
        var editor = new SolutionEditor(document.Project.Solution);
        await ReplaceTypeAsync(editor, parameter, replacement, cancellationToken).ConfigureAwait(false);

        // The generated code passes the parameter on to the implementation, which must take the new type too.
        foreach (ISymbol member in method.ContainingType.GetMembers(implementationName))
        {
            if (member is IMethodSymbol implementation && !SymbolEqualityComparer.Default.Equals(implementation, method))
            {
                foreach (IParameterSymbol candidate in implementation.Parameters)
                {
                    if (candidate.Name == parameter.Name && SymbolEqualityComparer.Default.Equals(candidate.Type, parameter.Type))
                    {
                        await ReplaceTypeAsync(editor, candidate, replacement, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return editor.GetChangedSolution();
    }

    private static async Task ReplaceTypeAsync(SolutionEditor editor, IParameterSymbol parameter, INamedTypeSymbol replacement, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in parameter.DeclaringSyntaxReferences)
        {
            if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not ParameterSyntax { Type: { } type } ||
                editor.OriginalSolution.GetDocumentId(reference.SyntaxTree) is not { } documentId)
            {
                continue;
            }

            DocumentEditor documentEditor = await editor.GetDocumentEditorAsync(documentId, cancellationToken).ConfigureAwait(false);
            SyntaxNode newType = documentEditor.Generator.TypeExpression(replacement)
                .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation)
                .WithTriviaFrom(type);
            documentEditor.ReplaceNode(type, newType);
        }
    }
}
