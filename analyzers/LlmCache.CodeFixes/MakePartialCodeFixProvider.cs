using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCache.CodeFixes;

/// <summary>
/// Fixes LLMC0001 and LLMC0002: adds <c>partial</c> to the <c>[LlmCached]</c> method and to every type that contains it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    private const string Title = "Make the method and its containing types partial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(GeneratorDiagnosticIds.MethodNotPartial, GeneratorDiagnosticIds.ContainingTypeNotPartial);

    /// <inheritdoc />
    /// <remarks>
    /// The fixes of one method's diagnostics overlap (each adds <c>partial</c> to the same types), so fixing all
    /// gathers every target in a document first and adds <c>partial</c> once to each.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            List<MemberDeclarationSyntax> targets = FindTargets(node);
            if (targets.Count == 0)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => AddPartialAsync(context.Document, root, targets, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var targets = new HashSet<MemberDeclarationSyntax>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            targets.UnionWith(FindTargets(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)));
        }

        return await AddPartialAsync(document, root, targets, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The method (when the diagnostic is inside one) and the types around it that are not partial yet.</summary>
    private static List<MemberDeclarationSyntax> FindTargets(SyntaxNode node)
    {
        var targets = new List<MemberDeclarationSyntax>();
        MethodDeclarationSyntax? method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        if (method is not null && !IsPartial(method.Modifiers))
        {
            targets.Add(method);
        }

        foreach (TypeDeclarationSyntax type in (method ?? node).AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
        {
            if (!IsPartial(type.Modifiers))
            {
                targets.Add(type);
            }
        }

        return targets;
    }

    private static Task<Document> AddPartialAsync(Document document, SyntaxNode root, IEnumerable<MemberDeclarationSyntax> targets, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SyntaxNode newRoot = root.ReplaceNodes(targets, static (_, rewritten) => AddPartial(rewritten));
        return Task.FromResult(document.WithSyntaxRoot(newRoot));
    }

    /// <summary>
    /// Adds <c>partial</c> as the last modifier, right before the return type or the type keyword, where C#
    /// requires it. Without modifiers, it takes over the leading trivia (the indentation) of the token it precedes.
    /// </summary>
    private static MemberDeclarationSyntax AddPartial(MemberDeclarationSyntax member)
    {
        SyntaxTokenList modifiers = member.Modifiers;
        if (modifiers.Count > 0)
        {
            return member.WithModifiers(modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        }

        SyntaxToken next = member switch
        {
            MethodDeclarationSyntax method => method.ReturnType.GetFirstToken(),
            TypeDeclarationSyntax type => type.Keyword,
            _ => member.GetFirstToken(),
        };
        SyntaxToken partial = SyntaxFactory.Token(next.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        MemberDeclarationSyntax withoutTrivia = member.ReplaceToken(next, next.WithLeadingTrivia());
        return withoutTrivia.WithModifiers(SyntaxFactory.TokenList(partial));
    }

    private static bool IsPartial(SyntaxTokenList modifiers) => modifiers.Any(SyntaxKind.PartialKeyword);
}
