using System.Collections.Immutable;
using System.Linq;
using LlmCache.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace LlmCache.Generators;

/// <summary>
/// Writes the bodies of <c>[LlmCached]</c> partial methods: a key builder specialised to the parameter types and
/// the cache wrapper around the user's implementation method.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LlmCachedGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                LlmCachedMethodParser.AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                LlmCachedMethodParser.Parse)
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValueProvider<JsonContextInfo?> assemblyContext = context.CompilationProvider
            .Select(LlmCachedMethodParser.ReadAssemblyJsonContext)
            .WithTrackingName(TrackingNames.AssemblyJsonContext);

        IncrementalValuesProvider<ParseResult> resolved = parsed
            .Combine(assemblyContext)
            .Select(static (pair, _) => SerializerResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Resolve);

        IncrementalValuesProvider<CachedMethodSpec> specs = resolved
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(TrackingNames.Specs);

        IncrementalValuesProvider<FallbackMethodSpec> fallbacks = resolved
            .Where(static r => r.Spec is null && r.Fallback is not null)
            .Select(static (r, _) => r.Fallback!)
            .WithTrackingName(TrackingNames.Fallbacks);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = resolved
            .Select(static (r, _) => r.Diagnostics)
            .Where(static d => d.Length > 0)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(specs, static (spc, spec) =>
            spc.AddSource(spec.HintName, SourceText.From(LlmCachedMethodEmitter.Emit(spec), System.Text.Encoding.UTF8)));

        context.RegisterSourceOutput(fallbacks, static (spc, fallback) =>
            spc.AddSource(fallback.HintName, SourceText.From(LlmCachedMethodEmitter.EmitFallback(fallback), System.Text.Encoding.UTF8)));

        context.RegisterSourceOutput(diagnostics, static (spc, items) =>
        {
            foreach (DiagnosticInfo item in items)
            {
                spc.ReportDiagnostic(item.ToDiagnostic());
            }
        });
    }
}
