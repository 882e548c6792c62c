using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace LlmCache.CodeFixes;

/// <summary>
/// Fixes LLMC0003: adds the missing implementation method after the cached method, with the same return type and
/// the same parameters except the <c>CacheControl</c>, and a body that throws <c>NotImplementedException</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ImplementationStubCodeFixProvider)), Shared]
public sealed class ImplementationStubCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(GeneratorDiagnosticIds.ImplementationNotFound);

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
            MethodDeclarationSyntax? method = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (method?.Parent is not TypeDeclarationSyntax ||
                model.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol ||
                LlmCacheSymbols.TryCreate(model.Compilation)?.GetLlmCachedAttribute(symbol) is not { } attribute ||
                LlmCacheSymbols.GetImplementationName(symbol, attribute) is not { } name ||
                !SyntaxFacts.IsValidIdentifier(name) ||
                name == symbol.Name ||
                !symbol.ContainingType.GetMembers(name).IsEmpty)
            {
                continue;
            }

            string title = "Create the implementation method '" + name + "'";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => AddStubAsync(context.Document, root, method, name, model.Compilation, ct), equivalenceKey: nameof(ImplementationStubCodeFixProvider)),
                diagnostic);
        }
    }

    private static Task<Document> AddStubAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, string name, Compilation compilation, CancellationToken cancellationToken)
    {
        SemanticModel model = compilation.GetSemanticModel(method.SyntaxTree);
        INamedTypeSymbol? cacheControl = compilation.GetTypeByMetadataName("LlmCache.CacheControl");
        var parameters = method.ParameterList.Parameters
            .Where(p => p.Type is null || !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(p.Type, cancellationToken).Type, cacheControl))
            .Select(p => p.WithAttributeLists(default).WithDefault(null).WithoutTrivia());

        SyntaxTokenList modifiers = SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword));
        if (method.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.StaticKeyword));
        }

        ThrowExpressionSyntax body = SyntaxFactory.ThrowExpression(
            SyntaxFactory.ObjectCreationExpression(
                SyntaxFactory.ParseTypeName("global::System.NotImplementedException").WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.ArgumentList(),
                initializer: null));

        MethodDeclarationSyntax stub = SyntaxFactory.MethodDeclaration(method.ReturnType.WithoutTrivia(), SyntaxFactory.Identifier(name))
            .WithModifiers(modifiers)
            .WithTypeParameterList(method.TypeParameterList?.WithoutTrivia())
            .WithParameterList(SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(parameters)))
            .WithConstraintClauses(SyntaxFactory.List(method.ConstraintClauses.Select(c => c.WithoutTrivia())))
            .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(body))
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
            .WithLeadingTrivia(NewLine(root))
            .WithAdditionalAnnotations(Formatter.Annotation);

        SyntaxNode newRoot = root.InsertNodesAfter(method, new[] { stub });
        return Task.FromResult(document.WithSyntaxRoot(newRoot));
    }

    /// <summary>A line break as the document writes them, for the blank line before the stub.</summary>
    private static SyntaxTrivia NewLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } newLine && newLine.IsKind(SyntaxKind.EndOfLineTrivia)
            ? newLine
            : SyntaxFactory.CarriageReturnLineFeed;
}
