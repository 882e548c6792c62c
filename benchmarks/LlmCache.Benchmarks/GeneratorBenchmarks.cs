using System;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using LlmCache.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace LlmCache.Benchmarks;

/// <summary>
/// The source generator on a project with 1,000 [LlmCached] methods (100 files of 10), each run beside the floor of
/// any generator built on ForAttributeWithMetadataName (<see cref="GeneratorFloor"/>): a whole run over a fresh
/// compilation (new symbols, so Roslyn binds the declarations the generator asks for again, as in a build); a whole
/// run of a new driver over a compilation whose declarations are already bound (what the generator itself costs,
/// without the binding that every generator of the build shares); and the incremental re-run a compiler server or IDE
/// does after one method's implementation body changed in one file. docs/benchmarks/generator.md reads the rows.
/// </summary>
[MemoryDiagnoser]
// One invocation is a whole generator run (10 to 200 ms once warm). The warm-up is long because the rows keep
// falling for about 30 runs while the JIT's tiers optimise Roslyn's and the generator's code: after 2 warm-up runs
// the floor's bound row measured 114 ms, after 40 13 ms, in one probe (docs/benchmarks/generator.md).
[SimpleJob(warmupCount: 40, iterationCount: 15)]
[InvocationCount(1, unrollFactor: 1)]
public class GeneratorBenchmarks
{
    private const int Methods = 1_000;

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _bound = null!;
    private EditedProject _generator = null!;
    private EditedProject _floor = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Every shape compiles clean with the generated code (checked on one file, as the files differ only in
        // names), and the whole corpus gets a file per method and no diagnostic.
        CreateDriver(new LlmCachedGenerator()).RunGeneratorsAndUpdateCompilation(GeneratorCorpus.Create(GeneratorCorpus.MethodsPerFile), out Compilation oneFile, out ImmutableArray<Diagnostic> oneFileDiagnostics);
        _compilation = GeneratorCorpus.Create(Methods);
        GeneratorDriverRunResult run = CreateDriver(new LlmCachedGenerator()).RunGenerators(_compilation).GetRunResult();
        Diagnostic[] problems = oneFileDiagnostics.Concat(oneFile.GetDiagnostics()).Concat(run.Diagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        int generated = run.GeneratedTrees.Length;
        if (generated < Methods || problems.Length > 0)
        {
            throw new InvalidOperationException($"The corpus must compile clean with a file per method: {generated} files, {problems.Length} problems, first: {problems.FirstOrDefault()}");
        }

        // Declarations, members and attributes bound once, as the first generator of a build leaves them for the others.
        _bound = _compilation.Clone();
        _bound.GetDeclarationDiagnostics();
        CreateDriver(new GeneratorFloor()).RunGenerators(_bound);
        // Roslyn's own timing counts the binding a generator's ForAttributeWithMetadataName triggers as the generator's time.
        Console.WriteLine($"// GetTimingInfo over the bound compilation: LlmCache {CreateDriver(new LlmCachedGenerator()).RunGenerators(_bound).GetTimingInfo().ElapsedTime.TotalMilliseconds:F0} ms, floor {CreateDriver(new GeneratorFloor()).RunGenerators(_bound).GetTimingInfo().ElapsedTime.TotalMilliseconds:F0} ms");

        SyntaxTree original = _compilation.SyntaxTrees.First();
        SyntaxTree edited = original.WithChangedText(SourceText.From(GeneratorCorpus.EditedFirstService()));
        _generator = new EditedProject(_compilation, CreateDriver(new LlmCachedGenerator()), original, edited);
        _floor = new EditedProject(_compilation, CreateDriver(new GeneratorFloor()), original, edited);
        Console.WriteLine($"// {Methods} methods, {generated} generated files");
    }

    [Benchmark(Description = "Floor: ForAttributeWithMetadataName alone, 1,000 methods, a fresh compilation")]
    public GeneratorDriver FloorWholeRun() => CreateDriver(new GeneratorFloor()).RunGenerators(_compilation.Clone());

    [Benchmark(Description = "Floor: ForAttributeWithMetadataName alone, 1,000 methods, declarations already bound")]
    public GeneratorDriver FloorBoundRun() => CreateDriver(new GeneratorFloor()).RunGenerators(_bound);

    [Benchmark(Description = "Floor: ForAttributeWithMetadataName alone, re-run after a one-method-body edit")]
    public GeneratorDriver FloorOneEdit() => _floor.EditAndRun();

    [Benchmark(Description = "LlmCache: 1,000 cached methods, a fresh compilation")]
    public GeneratorDriver WholeRun() => CreateDriver(new LlmCachedGenerator()).RunGenerators(_compilation.Clone());

    [Benchmark(Description = "LlmCache: 1,000 cached methods, declarations already bound")]
    public GeneratorDriver BoundRun() => CreateDriver(new LlmCachedGenerator()).RunGenerators(_bound);

    [Benchmark(Description = "LlmCache: incremental re-run after a one-method-body edit")]
    public GeneratorDriver OneEdit() => _generator.EditAndRun();

    // As the compiler creates it: no step tracking, every output kind.
    private static GeneratorDriver CreateDriver(IIncrementalGenerator generator) =>
        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorCorpus.ParseOptions);

    /// <summary>A project that a driver has run on once, whose first file's edit goes back and forth.</summary>
    private sealed class EditedProject(CSharpCompilation compilation, GeneratorDriver driver, SyntaxTree original, SyntaxTree edited)
    {
        private CSharpCompilation _current = compilation;
        private GeneratorDriver _driver = driver.RunGenerators(compilation);
        private bool _isEdited;

        // Each call edits the same body, back and forth, so every run sees a changed file.
        public GeneratorDriver EditAndRun()
        {
            (SyntaxTree from, SyntaxTree to) = _isEdited ? (edited, original) : (original, edited);
            _isEdited = !_isEdited;
            _current = _current.ReplaceSyntaxTree(from, to);
            _driver = _driver.RunGenerators(_current);
            return _driver;
        }
    }
}
