using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Xunit.Abstractions;

namespace LlmCache.Analyzers.Tests;

/// <summary>
/// What the analyzers cost on a compilation of 1,000 generated classes. Without an LlmCache reference they must
/// bail out at compilation start: proven by their registering no action at all, not by timing. With the reference,
/// 100 of the classes have an [LlmCached] method; the times are reported, not asserted.
/// </summary>
public sealed class AnalyzerCostTests(ITestOutputHelper output)
{
    private const int ClassCount = 1000;
    private const int CachedClassCount = 100;

    private static readonly ImmutableArray<MetadataReference> Framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "System.Collections.dll" or "System.Linq.dll" or "System.Threading.dll")
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    [Fact]
    public async Task Without_an_LlmCache_reference_the_analyzers_register_no_action()
    {
        CSharpCompilation compilation = CreateCompilation(withLlmCache: false);
        (ImmutableArray<Diagnostic> diagnostics, Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> telemetry, TimeSpan compileTime) = await AnalyzeAsync(compilation);

        Assert.Empty(diagnostics);
        foreach ((DiagnosticAnalyzer analyzer, AnalyzerTelemetryInfo info) in telemetry)
        {
            string name = analyzer.GetType().Name;
            Assert.True(info.CompilationStartActionsCount == 1, $"{name} registers its compilation start action");
            Assert.True(RegisteredActions(info) == 0, $"{name} registered {RegisteredActions(info)} actions on a compilation without LlmCache");
        }

        Report("without LlmCache", telemetry, compileTime);
    }

    [Fact]
    public async Task With_an_LlmCache_reference_the_analyzers_check_every_cached_method()
    {
        CSharpCompilation compilation = CreateCompilation(withLlmCache: true);
        (ImmutableArray<Diagnostic> diagnostics, Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> telemetry, TimeSpan compileTime) = await AnalyzeAsync(compilation);

        // Every cached class has one call with the clock in its key and one hidden input, and nothing else is wrong.
        Assert.Equal(CachedClassCount, diagnostics.Count(d => d.Id == DiagnosticDescriptors.NonDeterministicKeyArgumentId));
        Assert.Equal(CachedClassCount, diagnostics.Count(d => d.Id == DiagnosticDescriptors.HiddenInputId));
        Assert.Equal(2 * CachedClassCount, diagnostics.Length);
        Report("with LlmCache", telemetry, compileTime);
    }

    private static int RegisteredActions(AnalyzerTelemetryInfo info) =>
        info.SymbolActionsCount + info.SymbolStartActionsCount + info.SymbolEndActionsCount + info.OperationActionsCount +
        info.OperationBlockStartActionsCount + info.OperationBlockActionsCount + info.OperationBlockEndActionsCount +
        info.SyntaxNodeActionsCount + info.SyntaxTreeActionsCount + info.AdditionalFileActionsCount + info.SemanticModelActionsCount +
        info.CodeBlockStartActionsCount + info.CodeBlockActionsCount + info.CodeBlockEndActionsCount + info.CompilationActionsCount +
        info.CompilationEndActionsCount + info.SuppressionActionsCount;

    private static async Task<(ImmutableArray<Diagnostic>, Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>, TimeSpan)> AnalyzeAsync(CSharpCompilation compilation)
    {
        var stopwatch = Stopwatch.StartNew();
        ImmutableArray<Diagnostic> compilerDiagnostics = compilation.GetDiagnostics();
        TimeSpan compileTime = stopwatch.Elapsed;
        Assert.DoesNotContain(compilerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);

        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        CompilationWithAnalyzers withAnalyzers = compilation.WithAnalyzers(LlmCacheAnalyzers.All, options);
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        var telemetry = new Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>();
        foreach (DiagnosticAnalyzer analyzer in LlmCacheAnalyzers.All)
        {
            telemetry[analyzer] = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        }

        return (diagnostics, telemetry, compileTime);
    }

    private void Report(string label, Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> telemetry, TimeSpan compileTime)
    {
        TimeSpan analyzers = TimeSpan.FromTicks(telemetry.Values.Sum(t => t.ExecutionTime.Ticks));
        output.WriteLine($"{ClassCount} classes {label}: compilation.GetDiagnostics() {compileTime.TotalMilliseconds:F1} ms; " +
            $"LlmCache analyzers {analyzers.TotalMilliseconds:F3} ms ({100 * analyzers.TotalMilliseconds / compileTime.TotalMilliseconds:F2}% of it)");
        foreach ((DiagnosticAnalyzer analyzer, AnalyzerTelemetryInfo info) in telemetry.OrderBy(t => t.Key.GetType().Name, StringComparer.Ordinal))
        {
            output.WriteLine($"  {analyzer.GetType().Name}: {info.ExecutionTime.TotalMilliseconds:F3} ms, {RegisteredActions(info)} actions registered");
        }
    }

    private CSharpCompilation CreateCompilation(bool withLlmCache)
    {
        var trees = new List<SyntaxTree>(ClassCount);
        for (int i = 0; i < ClassCount; i++)
        {
            string source = withLlmCache && i % (ClassCount / CachedClassCount) == 0 ? CachedClass(i) : PlainClass(i);
            trees.Add(CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: $"Class{i}.cs"));
        }

        IEnumerable<MetadataReference> references = withLlmCache ? Framework.Add(TestSetup.LlmCacheReference) : Framework;
        return CSharpCompilation.Create(
            "Cost" + (withLlmCache ? "WithLlmCache" : "WithoutLlmCache"),
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static string PlainClass(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace Cost;

        public sealed class Worker{{i}}
        {
            private readonly List<string> _items = new();
            private int _count;

            public string Name { get; set; } = "worker{{i}}";

            public int Add(string item)
            {
                _items.Add(item + DateTime.Now.Ticks);
                return ++_count;
            }

            public string Describe() => $"{Name}: {string.Join(", ", _items.Where(x => x.Length > 2).OrderBy(x => x))}";

            public async Task<int> CountAsync(IEnumerable<int> values)
            {
                await Task.Yield();
                var seen = new HashSet<int>();
                foreach (int value in values)
                {
                    if (seen.Add(value * {{i}}))
                    {
                        _count++;
                    }
                }

                return _count + Guid.NewGuid().GetHashCode() % 2;
            }
        }
        """;

    private static string CachedClass(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        namespace Cost;

        public sealed partial class Assistant{{i}}
        {
            private readonly string _model = "model{{i}}";

            public double Temperature { get; set; } = 0.{{i % 10}};

            [LlmCached(Ttl = 60, KeyVersion = {{i}})]
            public partial ValueTask<string> AskAsync(string prompt, IReadOnlyList<string> history, [NotCacheKey] string apiKey, CacheControl cache = default, CancellationToken ct = default);

            public partial ValueTask<string> AskAsync(string prompt, IReadOnlyList<string> history, string apiKey, CacheControl cache, CancellationToken ct) =>
                AskAsyncCore(prompt, history, apiKey, ct);

            private ValueTask<string> AskAsyncCore(string prompt, IReadOnlyList<string> history, string apiKey, CancellationToken ct) =>
                new($"{_model}@{Temperature}: {prompt} after {history.Count}");

            public async Task<string> UseAsync(string question)
            {
                string stable = await AskAsync(question, new[] { "hello" }, "key");
                return stable + await AskAsync($"{question} at {DateTime.Now:t}", Array.Empty<string>(), Guid.NewGuid().ToString());
            }
        }
        """;
}
