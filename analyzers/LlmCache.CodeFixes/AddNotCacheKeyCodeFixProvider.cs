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
/// Fixes LLMC1004 (a secret in the key) and the generator's LLMC0007 (a parameter with no stable key form, such as
/// a logger or a progress callback) by marking the parameter <c>[NotCacheKey]</c>, adding <c>using LlmCache;</c>
/// when it is missing. Offered only for a parameter of a method declared with <c>[LlmCached]</c>: LLMC0007 is
/// reported at the parameter's type, also when a member or an element of that type is what has no key form.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNotCacheKeyCodeFixProvider)), Shared]
public sealed class AddNotCacheKeyCodeFixProvider : CodeFixProvider
{
    private const string Title = "Leave the parameter out of the cache key ([NotCacheKey])";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.SecretKeyParameterId, GeneratorDiagnosticIds.UnsupportedKeyType);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null ||
            model is null ||
            LlmCacheSymbols.TryCreate(model.Compilation) is not { } symbols ||
            symbols.NotCacheKeyAttribute is not { } attributeType)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter ||
                parameter.Parent?.Parent is not MethodDeclarationSyntax method ||
                model.GetDeclaredSymbol(method, context.CancellationToken) is not IMethodSymbol methodSymbol ||
                symbols.GetLlmCachedAttribute(methodSymbol) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => AddAttributeAsync(context.Document, parameter, attributeType, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> AddAttributeAsync(Document document, ParameterSyntax parameter, INamedTypeSymbol attributeType, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        SyntaxGenerator generator = editor.Generator;
        SyntaxNode attribute = generator.Attribute(generator.TypeExpression(attributeType).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation));
        editor.ReplaceNode(parameter, (current, g) => g.AddAttributes(current, attribute));
        return editor.GetChangedDocument();
    }
}
