using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmCache.Generators.Tests;

/// <summary>
/// The kind of call the generator records on each method's descriptor: from its return type, unless the attribute
/// names one. The generated code is compiled and loaded, so the value read is the one the runtime sees.
/// </summary>
public sealed class CallKindTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using LlmCache;
        using Microsoft.Extensions.AI;

        namespace Demo;

        public partial class Calls
        {
            [LlmCached]
            public partial Task<ChatResponse> ChatAsync(string prompt);

            [LlmCached]
            public partial string Text(string prompt);

            [LlmCached]
            public partial ValueTask<Embedding<float>> EmbedAsync(string text);

            [LlmCached]
            public partial Task<GeneratedEmbeddings<Embedding<float>>> EmbedManyAsync(IReadOnlyList<string> texts);

            [LlmCached]
            public partial Task<SpeechToTextResponse> TranscribeAsync(byte[] audio);

            [LlmCached(Kind = CallKind.SpeechToText)]
            public partial string TranscribeToText(byte[] audio);

            [LlmCached(Kind = CallKind.Chat)]
            public partial Task<Embedding<float>> EmbedAsChatAsync(string text);

            private Task<ChatResponse> ChatAsyncCore(string prompt) => Task.FromResult(new ChatResponse());
            private string TextCore(string prompt) => prompt;
            private ValueTask<Embedding<float>> EmbedAsyncCore(string text) => new(new Embedding<float>(new float[1]));
            private Task<GeneratedEmbeddings<Embedding<float>>> EmbedManyAsyncCore(IReadOnlyList<string> texts) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>());
            private Task<SpeechToTextResponse> TranscribeAsyncCore(byte[] audio) => Task.FromResult(new SpeechToTextResponse());
            private string TranscribeToTextCore(byte[] audio) => "";
            private Task<Embedding<float>> EmbedAsChatAsyncCore(string text) => Task.FromResult(new Embedding<float>(new float[1]));
        }
        """;

    private static readonly Lazy<Type> Calls = new(() =>
    {
        GeneratorResult result = Run();
        Assert.Empty(result.GeneratorDiagnostics);
        string[] problems = result.CompilationProblems.Select(d => d.ToString()).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems));
        using var image = new MemoryStream();
        Assert.True(result.Output.Emit(image).Success);
        Assembly assembly = new AssemblyLoadContext("CallKindTests", isCollectible: true).LoadFromStream(new MemoryStream(image.ToArray()));
        return assembly.GetType("Demo.Calls", throwOnError: true)!;
    });

    /// <summary>Speech to text is experimental in Microsoft.Extensions.AI: a project that uses it turns MEAI001 off, as this one does.</summary>
    private static GeneratorResult Run()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            compilation.Options.SpecificDiagnosticOptions.SetItem("MEAI001", ReportDiagnostic.Suppress)));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorResult(driver, output, diagnostics);
    }

    [Theory]
    [InlineData("ChatAsync", CallKind.Chat)]
    [InlineData("Text", CallKind.Chat)]
    [InlineData("EmbedAsync", CallKind.Embedding)]
    [InlineData("EmbedManyAsync", CallKind.Embedding)]
    [InlineData("TranscribeAsync", CallKind.SpeechToText)]
    [InlineData("TranscribeToText", CallKind.SpeechToText)]
    [InlineData("EmbedAsChatAsync", CallKind.Chat)]
    public void The_descriptor_records_the_kind_of_call(string method, CallKind expected)
    {
        Type keyClass = Calls.Value.GetNestedType("__LlmCache_" + method, BindingFlags.NonPublic)!;
        object descriptor = keyClass.GetField("Method", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

        // Read by name: the loaded code binds to the LlmCache assembly this test runs with.
        object kind = descriptor.GetType().GetProperty(nameof(CachedMethod<string>.Kind))!.GetValue(descriptor)!;
        Assert.Equal(expected.ToString(), kind.ToString());
    }

    [Fact]
    public void A_chat_method_is_written_without_the_initializer()
    {
        GeneratorResult result = Run();

        Assert.DoesNotContain("Kind =", result.GeneratedSource("Demo.Calls.ChatAsync.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("Kind =", result.GeneratedSource("Demo.Calls.EmbedAsChatAsync.g.cs"), StringComparison.Ordinal);
        Assert.Contains("Kind = global::LlmCache.CallKind.Embedding,", result.GeneratedSource("Demo.Calls.EmbedAsync.g.cs"), StringComparison.Ordinal);
    }
}
