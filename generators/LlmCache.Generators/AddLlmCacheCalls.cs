using System.Collections.Immutable;
using System.Threading;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCache.Generators;

/// <summary>
/// Whether the assembly calls <c>AddLlmCache</c>: then it is an app whose container holds a configured runtime, and a
/// cached method that falls back to <c>LlmCacheRuntime.Shared</c> would silently ignore that configuration (LLMC0020).
/// Elsewhere (a console tool, the QuickStart, a library) Shared may be the runtime meant, and nothing is reported.
/// </summary>
internal static class AddLlmCacheCalls
{
    private const string ExtensionsType = "Microsoft.Extensions.DependencyInjection.LlmCacheServiceCollectionExtensions";

    /// <summary>A cheap syntactic filter: an invocation whose name is <c>AddLlmCache</c>.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddLlmCache" } or IdentifierNameSyntax { Identifier.ValueText: "AddLlmCache" } };

    /// <summary>Whether the candidate binds to LlmCache's own <c>AddLlmCache</c>, not another method of that name.</summary>
    public static bool IsLlmCacheCall(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } type } &&
        TypeNames.IsNamed(type, ExtensionsType);

    /// <summary>The LLMC0020 diagnostics to report: the uses of Shared when the assembly calls <c>AddLlmCache</c>, none otherwise.</summary>
    public static EquatableArray<DiagnosticInfo> Report(ImmutableArray<DiagnosticInfo> sharedUses, bool callsAddLlmCache) =>
        callsAddLlmCache ? sharedUses.ToEquatableArray() : EquatableArray<DiagnosticInfo>.Empty;
}
