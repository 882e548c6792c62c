using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmCache.Generators.Tests;

/// <summary>An unrelated edit regenerates nothing; an edit to a cached method regenerates its output.</summary>
public sealed class IncrementalityTests
{
    private const string Service = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using LlmCache;

        namespace Demo;

        public sealed record Message(string Role, string Text);

        public partial class Assistant
        {
            [LlmCached]
            public partial ValueTask<string> AskAsync(string model, IReadOnlyList<Message> messages);

            private ValueTask<string> AskAsyncCore(string model, IReadOnlyList<Message> messages) => new(model);

            [LlmCached(Type = CacheType.Redis)]
            public partial ValueTask<Message> BrokenAsync(string model);

            private ValueTask<Message> BrokenAsyncCore(string model) => new(new Message("a", model));
        }
        """;

    private static readonly string[] Steps =
    {
        TrackingNames.Parse, TrackingNames.AssemblyJsonContext, TrackingNames.Resolve, TrackingNames.Specs, TrackingNames.Fallbacks, TrackingNames.Diagnostics,
    };

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        string valid = Service.Substring(0, Service.IndexOf("    [LlmCached(Type = CacheType.Redis)]", StringComparison.Ordinal)) + "}\n";
        (GeneratorRunResult first, GeneratorRunResult second) = RunWithUnrelatedEdit(valid);
        // The method and the part that names its type's stores.
        Assert.Equal(2, first.GeneratedSources.Length);
        Assert.Empty(first.Diagnostics);

        // No method needs a fallback or has a diagnostic, so those two steps see no item and are not tracked.
        AssertCachedOrUnchanged(second, [TrackingNames.Parse, TrackingNames.AssemblyJsonContext, TrackingNames.Resolve, TrackingNames.Specs, TrackingNames.StoreRequirements, TrackingNames.LocatedDiagnostics]);
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void An_unrelated_edit_with_a_diagnostic_in_the_code_only_places_the_diagnostic_again()
    {
        (GeneratorRunResult first, GeneratorRunResult second) = RunWithUnrelatedEdit(Service);
        Assert.Equal(3, first.GeneratedSources.Length);
        Assert.Single(first.Diagnostics);

        // Everything up to the diagnostics stays cached; placing them in the new compilation's trees is the one step that runs again.
        AssertCachedOrUnchanged(second, Steps);
        Assert.Single(second.Diagnostics);
        IncrementalGeneratorRunStep[] sourceOutputs = second.TrackedOutputSteps.SelectMany(s => s.Value)
            .Where(r => r.Inputs.All(i => i.Source.Name != TrackingNames.LocatedDiagnostics))
            .ToArray();
        Assert.Equal(3, sourceOutputs.Length);
        Assert.All(sourceOutputs.SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunWithUnrelatedEdit(string service)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(service, "namespace Demo; public class Other { }");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();

        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("namespace Demo; public class Other { public int Added { get; set; } }")));
        return (first, driver.RunGenerators(edited).GetRunResult().Results.Single());
    }

    private static void AssertCachedOrUnchanged(GeneratorRunResult result, IEnumerable<string> steps)
    {
        foreach (string step in steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {reason} after an edit that changes no declaration");
                }
            }
        }
    }

    [Fact]
    public void A_body_edit_in_one_of_many_files_regenerates_nothing_and_runs_no_step_after_the_parse()
    {
        const int Files = 5;
        // The benchmark's corpus: its five shapes, ten methods to a file.
        const int MethodsPerFile = LlmCache.Benchmarks.GeneratorCorpus.MethodsPerFile;
        string[] sources = Enumerable.Range(0, Files).Select(f => LlmCache.Benchmarks.GeneratorCorpus.Service(f, MethodsPerFile, "answer")).Append(LlmCache.Benchmarks.GeneratorCorpus.Types).ToArray();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        // A file per method and one per type that names its stores, and nothing to report.
        Assert.Equal((Files * MethodsPerFile) + Files, first.GeneratedSources.Length);
        Assert.Empty(first.Diagnostics);

        SyntaxTree edited = compilation.SyntaxTrees.First();
        CSharpCompilation changed = compilation.ReplaceSyntaxTree(edited, edited.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(LlmCache.Benchmarks.GeneratorCorpus.Service(0, MethodsPerFile, "a longer edited answer"))));
        GeneratorRunResult second = driver.RunGenerators(changed).GetRunResult().Results.Single();

        AssertCachedOrUnchanged(second, [TrackingNames.Parse, TrackingNames.AssemblyJsonContext, TrackingNames.Resolve, TrackingNames.Specs, TrackingNames.StoreRequirements, TrackingNames.LocatedDiagnostics]);
        IncrementalStepRunReason[] outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs).Select(o => o.Reason).ToArray();
        // An output per method, one that writes every type's stores part, and the diagnostics.
        Assert.Equal((Files * MethodsPerFile) + 2, outputs.Length);
        Assert.All(outputs, reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));

        // The parse runs again for every method (Roslyn re-runs the transform on each new compilation), and finds each
        // equal to what it was, even in the edited file, whose methods moved: no step after it runs again for any method.
        foreach (string step in new[] { TrackingNames.Resolve, TrackingNames.Specs })
        {
            (object Value, IncrementalStepRunReason Reason)[] results = second.TrackedSteps[step].SelectMany(r => r.Outputs).ToArray();
            Assert.Equal(Files * MethodsPerFile, results.Length);
            Assert.All(results, o => Assert.True(o.Reason == IncrementalStepRunReason.Cached, $"{step} ran again for {HintNameOf(o.Value)} ({o.Reason})"));
        }
    }

    // The hint name of a parse result's spec, or of a spec: the step values are the generator's internal records.
    private static string HintNameOf(object value)
    {
        object? spec = value.GetType().GetProperty("Spec")?.GetValue(value) ?? value;
        return (string)spec.GetType().GetProperty("HintName")!.GetValue(spec)!;
    }

    [Fact]
    public void Editing_a_cached_method_signature_changes_the_output()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Service);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        string before = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith("AskAsync.g.cs", StringComparison.Ordinal)).SourceText.ToString();

        string changed = Service
            .Replace("AskAsync(string model, IReadOnlyList<Message> messages);", "AskAsync(string model, IReadOnlyList<Message> messages, float temperature);", StringComparison.Ordinal)
            .Replace("AskAsyncCore(string model, IReadOnlyList<Message> messages)", "AskAsyncCore(string model, IReadOnlyList<Message> messages, float temperature)", StringComparison.Ordinal);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(changed)))).GetRunResult().Results.Single();

        string after = second.GeneratedSources.Single(s => s.HintName.EndsWith("AskAsync.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("float temperature", after, StringComparison.Ordinal);
        Assert.Contains(second.TrackedSteps[TrackingNames.Specs].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void No_step_holds_a_symbol_a_syntax_node_or_a_compilation()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Service);
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (string step in Steps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, IncrementalStepRunReason _) in run.Outputs)
                {
                    AssertNoRoslynObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree,
            $"{path} holds a {value.GetType().Name}, which never compares equal across runs");

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        if (value.GetType().Namespace?.StartsWith("LlmCache", StringComparison.Ordinal) == true || value.GetType().FullName!.StartsWith("System.ValueTuple", StringComparison.Ordinal))
        {
            foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                AssertNoRoslynObjects(property.GetValue(value), $"{path}.{property.Name}", seen);
            }

            foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
            }
        }
    }
}
