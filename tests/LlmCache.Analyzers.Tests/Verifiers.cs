using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace LlmCache.Analyzers.Tests;

/// <summary>Runs one analyzer over a test source and compares its diagnostics, spans and messages with the expected ones.</summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestSetup.Net100;
            TestState.AdditionalReferences.Add(TestSetup.LlmCacheReference);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add(TestSetup.AllowUnsafe);
        }

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ImplementingPartGenerator)];
    }
}

/// <summary>
/// Runs an analyzer and a code fix: the diagnostics of the source must be the expected ones, and applying the
/// fix must give the fixed source, whose diagnostics are exactly those of its markup. With a fixed source equal
/// to the source, the fix must not be offered.
/// </summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        if (fixedSource == source)
        {
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
            test.NumberOfIncrementalIterations = 0;
            test.NumberOfFixAllIterations = 0;
        }

        return test.RunAsync(CancellationToken.None);
    }

    private sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestSetup.Net100;
            TestState.AdditionalReferences.Add(TestSetup.LlmCacheReference);
            FixedState.AdditionalReferences.Add(TestSetup.LlmCacheReference);

            // The fixed code's diagnostics are exactly its markup: compiler errors that a fix repairs (a body-less
            // method that is not partial) must not be carried over from the source.
            FixedState.InheritanceMode = StateInheritanceMode.Explicit;
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add(TestSetup.AllowUnsafe);
        }

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ImplementingPartGenerator)];
    }
}

/// <summary>
/// Like <see cref="CodeFixVerifier{TAnalyzer, TCodeFix}"/>, for the diagnostics of the real LlmCache source generator
/// (through <see cref="RealGeneratorDiagnosticsAnalyzer"/>) together with those of every LlmCache analyzer: the
/// expected diagnostics are all of them, so a problem that generator and analyzers both report fails the test.
/// </summary>
internal static class GeneratorCodeFixVerifier<TCodeFix>
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<RealGeneratorDiagnosticsAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static DiagnosticResult Diagnostic(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor) => CSharpCodeFixVerifier<RealGeneratorDiagnosticsAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(descriptor);

    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        if (fixedSource == source)
        {
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
            test.NumberOfIncrementalIterations = 0;
            test.NumberOfFixAllIterations = 0;
        }

        return test.RunAsync(CancellationToken.None);
    }

    private sealed class Test : CSharpCodeFixTest<RealGeneratorDiagnosticsAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestSetup.Net100;
            TestState.AdditionalReferences.Add(TestSetup.LlmCacheReference);
            FixedState.AdditionalReferences.Add(TestSetup.LlmCacheReference);
            FixedState.InheritanceMode = StateInheritanceMode.Explicit;
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => [.. LlmCacheAnalyzers.All, new RealGeneratorDiagnosticsAnalyzer()];

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(ImplementingPartGenerator)];
    }
}
