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
/// The source generator on a project with 1,000 [LlmCached] methods (100 files of 10): a whole run over a fresh
/// compilation (new symbols, so the binding the generator asks for is done again, as in a build), and the
/// incremental re-run a compiler server or IDE does after one method's implementation body changed in one file;
/// each beside the floor of any generator built on ForAttributeWithMetadataName (<see cref="GeneratorFloor"/>).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int Methods = 1_000;

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _floorCurrent = null!;
    private GeneratorDriver _floorDriver = null!;
    private bool _floorIsEdited;
    private CSharpCompilation _current = null!;
    private GeneratorDriver _driver = null!;
    private SyntaxTree _original = null!;
    private SyntaxTree _edited = null!;
    private bool _isEdited;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = GeneratorCorpus.Create(Methods);
        GeneratorDriver checkRun = CreateDriver().RunGeneratorsAndUpdateCompilation(_compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        int generated = checkRun.GetRunResult().GeneratedTrees.Length;
        Diagnostic[] problems = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (generated < Methods || problems.Length > 0)
        {
            throw new InvalidOperationException($"The corpus must compile clean with a file per method: {generated} files, {problems.Length} problems, first: {problems.FirstOrDefault()}");
        }

        _original = _compilation.SyntaxTrees.First();
        _edited = _original.WithChangedText(SourceText.From(GeneratorCorpus.EditedFirstService()));
        _current = _compilation;
        _driver = CreateDriver().RunGenerators(_current);
        _floorCurrent = _compilation;
        _floorDriver = CreateFloorDriver().RunGenerators(_floorCurrent);
        Console.WriteLine($"// {Methods} methods, {generated} generated files");
    }

    [Benchmark(Description = "Floor: ForAttributeWithMetadataName alone, 1,000 methods, a fresh compilation")]
    public GeneratorDriver FloorWholeRun() => CreateFloorDriver().RunGenerators(_compilation.Clone());

    [Benchmark(Description = "Floor: ForAttributeWithMetadataName alone, re-run after a one-method-body edit")]
    public GeneratorDriver FloorOneEdit()
    {
        (SyntaxTree from, SyntaxTree to) = _floorIsEdited ? (_edited, _original) : (_original, _edited);
        _floorIsEdited = !_floorIsEdited;
        _floorCurrent = _floorCurrent.ReplaceSyntaxTree(from, to);
        _floorDriver = _floorDriver.RunGenerators(_floorCurrent);
        return _floorDriver;
    }

    [Benchmark(Description = "LlmCache generator: 1,000 cached methods, a fresh compilation")]
    public GeneratorDriver WholeRun() => CreateDriver().RunGenerators(_compilation.Clone());

    [Benchmark(Description = "LlmCache generator: incremental re-run after a one-method-body edit")]
    public GeneratorDriver OneEdit()
    {
        // Each invocation edits the same body, back and forth, so every run sees a changed file.
        (SyntaxTree from, SyntaxTree to) = _isEdited ? (_edited, _original) : (_original, _edited);
        _isEdited = !_isEdited;
        _current = _current.ReplaceSyntaxTree(from, to);
        _driver = _driver.RunGenerators(_current);
        return _driver;
    }

    // As the compiler creates it: no step tracking, every output kind.
    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create([new LlmCachedGenerator().AsSourceGenerator()], parseOptions: GeneratorCorpus.ParseOptions);

    private static GeneratorDriver CreateFloorDriver() =>
        CSharpGeneratorDriver.Create([new GeneratorFloor().AsSourceGenerator()], parseOptions: GeneratorCorpus.ParseOptions);
}
