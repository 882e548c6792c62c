using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmCache.Benchmarks;

/// <summary>
/// The least any attribute-driven generator pays: Roslyn's ForAttributeWithMetadataName finds each [LlmCached]
/// method and binds its symbol, and the transform only reads the parameter types. Roslyn runs the transform of every
/// method again on each new compilation, so this is also the floor of an incremental re-run after an edit.
/// </summary>
public sealed class GeneratorFloor : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> signatures = context.SyntaxProvider.ForAttributeWithMetadataName(
            "LlmCache.LlmCachedAttribute",
            static (node, _) => node is MethodDeclarationSyntax,
            static (method, _) => method.TargetSymbol.ContainingType.Name + "." + method.TargetSymbol.Name + "(" + string.Join(",", ((IMethodSymbol)method.TargetSymbol).Parameters.Select(p => p.Type.ToDisplayString())) + ")");
        context.RegisterSourceOutput(signatures, static (output, signature) => output.AddSource(signature.Substring(0, signature.IndexOf('(')) + ".g.cs", "// " + signature));
    }
}
