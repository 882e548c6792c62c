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

        // LLMC0020: methods that fall back to LlmCacheRuntime.Shared, reported only in an assembly that calls AddLlmCache.
        IncrementalValueProvider<bool> callsAddLlmCache = context.SyntaxProvider
            .CreateSyntaxProvider(AddLlmCacheCalls.IsCandidate, AddLlmCacheCalls.IsLlmCacheCall)
            .Where(static calls => calls)
            .Collect()
            .Select(static (calls, _) => !calls.IsEmpty)
            .WithTrackingName(TrackingNames.CallsAddLlmCache);

        IncrementalValueProvider<EquatableArray<DiagnosticInfo>> sharedRuntimeUses = resolved
            .Where(static r => r.Spec is not null && r.SharedRuntimeUse is not null)
            .Select(static (r, _) => r.SharedRuntimeUse!)
            .Collect()
            .Combine(callsAddLlmCache)
            .Select(static (pair, _) => AddLlmCacheCalls.Report(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.SharedRuntimeUses);

        context.RegisterSourceOutput(specs, static (spc, spec) =>
            spc.AddSource(spec.HintName, SourceText.From(LlmCachedMethodEmitter.Emit(spec), System.Text.Encoding.UTF8)));

        // The stores each type's methods cache into, as attributes on the type, for the runtime's start-up check.
        context.RegisterSourceOutput(specs.Collect().WithTrackingName(TrackingNames.StoreRequirements), static (spc, all) =>
        {
            foreach ((string hintName, string source) in StoreRequirementEmitter.Emit(all))
            {
                spc.AddSource(hintName, SourceText.From(source, System.Text.Encoding.UTF8));
            }
        });

        context.RegisterSourceOutput(fallbacks, static (spc, fallback) =>
            spc.AddSource(fallback.HintName, SourceText.From(LlmCachedMethodEmitter.EmitFallback(fallback), System.Text.Encoding.UTF8)));

        // The diagnostics are reported at locations in the compilation's own syntax trees, so #pragma, SuppressMessage
        // and the IDE treat them as in-source. That needs the compilation, which changes on every edit; the step's
        // output stays equal (and the report step cached) for as long as there is nothing to report.
        IncrementalValueProvider<SourceDiagnostics> located = diagnostics
            .Collect()
            .Combine(sharedRuntimeUses)
            .Select(static (pair, _) => pair.Right.Length == 0 ? pair.Left : pair.Left.Add(pair.Right))
            .Combine(context.CompilationProvider)
            .Select(static (pair, cancellationToken) => SourceDiagnostics.Locate(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.LocatedDiagnostics);

        context.RegisterSourceOutput(located, static (spc, items) =>
        {
            foreach (Diagnostic diagnostic in items.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic);
            }
        });
    }
}
