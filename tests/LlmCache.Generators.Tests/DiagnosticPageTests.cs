using System.Linq;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators.Tests;

/// <summary>
/// What docs/diagnostics/LLMC000x.md say the generator accepts and rejects, beyond the one case per ID in
/// <see cref="DiagnosticTests"/>: valid code compiles with the generated part and no diagnostic, and each rejected
/// shape gets exactly the documented ID.
/// </summary>
public sealed class DiagnosticPageTests
{
    private const string Header = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Text.Json.Serialization;
        using LlmCache;

        namespace Demo;

        public sealed record Answer(string Text, int Tokens);

        """;

    [Theory]
    [InlineData("LLMC0003: an asynchronous implementation of another task type", """
        [LlmCached] public partial Task<string> AskAsync(string prompt, CacheControl cache = default, CancellationToken ct = default);
        private ValueTask<string> AskAsyncCore(string prompt, CancellationToken ct) => new(prompt);
        """)]
    [InlineData("LLMC0003: an implementation in a base type", """
        [LlmCached] public partial string Ask(string prompt);
        """)]
    [InlineData("LLMC0005: in parameters", """
        [LlmCached] public partial string Ask(in Guid id, in DateTime at);
        private string AskCore(in Guid id, in DateTime at) => id.ToString();
        """)]
    [InlineData("LLMC0007: value tuples, pairs, sets and sorted dictionaries", """
        [LlmCached] public partial string Ask((string Role, int Turn) turn, KeyValuePair<string, int> pair, HashSet<string> tags, SortedDictionary<string, double> weights);
        private string AskCore((string Role, int Turn) turn, KeyValuePair<string, int> pair, HashSet<string> tags, SortedDictionary<string, double> weights) => turn.Role;
        """)]
    [InlineData("LLMC0007: classes derived from collections and user collections, by their elements", """
        public sealed class Labels : HashSet<string>;
        public class Chapters : System.Collections.ObjectModel.Collection<string> { [NotCacheKey] public string Note { get; set; } = ""; }
        public sealed class Index : SortedDictionary<string, int>;
        [LlmCached] public partial string Ask(Labels labels, Chapters? chapters, Index index);
        private string AskCore(Labels labels, Chapters? chapters, Index index) => "";
        """)]
    [InlineData("LLMC0007: a type derived from a user type is walked through both", """
        public class Shape { public string Name { get; init; } = ""; }
        public sealed class Circle : Shape { public double Radius { get; init; } }
        [LlmCached] public partial string Ask(Circle circle, Shape shape);
        private string AskCore(Circle circle, Shape shape) => "";
        """)]
    [InlineData("LLMC0008: the Custom type is not checked", """
        [LlmCached(Type = CacheType.Custom)] public partial Task<Answer> AskAsync(string prompt);
        private Task<Answer> AskAsyncCore(string prompt) => Task.FromResult(new Answer(prompt, 1));
        """)]
    [InlineData("LLMC0008: a JSON context named for the method", """
        [LlmCached(Type = CacheType.Disk, JsonContext = typeof(AnswerJson))] public partial Task<Answer> AskAsync(string prompt);
        private Task<Answer> AskAsyncCore(string prompt) => Task.FromResult(new Answer(prompt, 1));
        """)]
    public void Accepts(string rule, string members)
    {
        GeneratorResult result = GeneratorHarness.Run(withJsonGenerator: true, Header + $$"""
            [JsonSerializable(typeof(Answer))]
            internal partial class AnswerJson : JsonSerializerContext;

            public class AssistantBase
            {
                protected string AskCore(string prompt) => prompt;
            }

            public partial class Assistant : AssistantBase
            {
            {{members}}
            }
            """);

        Assert.True(result.GeneratorDiagnostics.IsEmpty, rule + ": " + string.Join("; ", result.GeneratorDiagnostics));
        Assert.True(!result.CompilationProblems.Any(), rule + ": " + string.Join("; ", result.CompilationProblems));
    }

    [Fact]
    public void LLMC0009_a_generic_containing_type_is_supported_and_its_type_parameter_is_keyed_through_ICacheKeyWritable()
    {
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public partial class Translator<TDocument>
                where TDocument : ICacheKeyWritable
            {
                [LlmCached]
                public partial Task<string> TranslateAsync(TDocument document, string language);

                private Task<string> TranslateAsyncCore(TDocument document, string language) => Task.FromResult(language);
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems);
    }

    [Theory]
    [InlineData(DiagnosticDescriptors.GenericMethodId, "[LlmCached] public partial string Ask<T>(string prompt);")]
    [InlineData(DiagnosticDescriptors.MethodNotPartialId, "[LlmCached] public partial string Ask(string prompt) => prompt;")]
    [InlineData(DiagnosticDescriptors.ImplementationMismatchId, """
        [LlmCached] public partial string Ask(string prompt);
        private Task<string> AskCore(string prompt) => Task.FromResult(prompt);
        """)]
    [InlineData(DiagnosticDescriptors.ImplementationMismatchId, """
        [LlmCached] public static partial string Ask(string prompt);
        private string AskCore(string prompt) => prompt;
        """)]
    [InlineData(DiagnosticDescriptors.UnsupportedReturnTypeId, """
        [LlmCached] public partial IEnumerable<string> Ask(string prompt);
        private IEnumerable<string> AskCore(string prompt) => throw null!;
        """)]
    [InlineData(DiagnosticDescriptors.UnsupportedKeyTypeId, """
        [LlmCached] public partial string Ask(HashSet<object> tags);
        private string AskCore(HashSet<object> tags) => "";
        """)]
    [InlineData(DiagnosticDescriptors.UnsupportedKeyTypeId, """
        [LlmCached] public partial string Ask(ConcurrentBag<string> tags);
        private string AskCore(ConcurrentBag<string> tags) => "";
        """)]
    [InlineData(DiagnosticDescriptors.UnsupportedKeyTypeId, """
        [LlmCached] public partial string Ask(Tags tags);
        private string AskCore(Tags tags) => "";
        """)]
    [InlineData(DiagnosticDescriptors.NoJsonTypeInfoId, """
        [LlmCached(Type = CacheType.Dual, JsonContext = typeof(OtherJson))] public partial Task<Answer> AskAsync(string prompt);
        private Task<Answer> AskAsyncCore(string prompt) => Task.FromResult(new Answer(prompt, 1));
        """)]
    public void Rejects_once(string id, string members)
    {
        GeneratorResult result = GeneratorHarness.Run(Header + $$"""
            [assembly: LlmCacheJsonContext(typeof(Demo.AnswerJson))]

            [JsonSerializable(typeof(Answer))]
            internal partial class AnswerJson : JsonSerializerContext;

            [JsonSerializable(typeof(string))]
            internal partial class OtherJson : JsonSerializerContext;

            public sealed class Tags : HashSet<string>
            {
                public string Owner { get; set; } = "";
            }

            public partial class Assistant
            {
            {{members}}
            }
            """);

        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
    }
}
