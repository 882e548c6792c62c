using System.Linq;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators.Tests;

/// <summary>The generator's structural errors: each with its ID, a precise location and a message that says what to do.</summary>
public sealed class DiagnosticTests
{
    private const string Header = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        namespace Demo;

        """;

    [Fact]
    public void A_method_that_is_not_partial() => Expect(DiagnosticDescriptors.MethodNotPartialId, "AskAsync", "is not a partial method declaration", """
        public partial class Assistant
        {
            [LlmCached]
            public ValueTask<string> AskAsync(string question) => new("x");
        }
        """);

    [Fact]
    public void A_containing_type_that_is_not_partial() => Expect(DiagnosticDescriptors.TypeNotPartialId, "Outer", "Type 'Outer' contains the [LlmCached] method 'AskAsync' but is not partial", """
        public class Outer
        {
            public partial class Assistant
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(string question);

                private ValueTask<string> AskAsyncCore(string question) => new(question);
            }
        }
        """);

    [Fact]
    public void No_implementation_method() => Expect(DiagnosticDescriptors.ImplementationNotFoundId, "AskAsync", "needs an implementation method 'AskAsyncCore' in the same type, taking (string question, System.Threading.CancellationToken ct)", """
        public partial class Assistant
        {
            [LlmCached]
            public partial ValueTask<string> AskAsync(string question, CacheControl cache = default, CancellationToken ct = default);
        }
        """);

    [Fact]
    public void An_implementation_with_the_wrong_parameters() => Expect(DiagnosticDescriptors.ImplementationMismatchId, "AskAsyncCore", "parameter 1 is 'int', not 'string'", """
        public partial class Assistant
        {
            [LlmCached]
            public partial ValueTask<string> AskAsync(string question);

            private ValueTask<string> AskAsyncCore(int question) => new("x");
        }
        """);

    [Fact]
    public void An_implementation_with_the_wrong_result() => Expect(DiagnosticDescriptors.ImplementationMismatchId, "AskAsyncCore", "it returns 'System.Threading.Tasks.Task<int>'", """
        public partial class Assistant
        {
            [LlmCached(Implementation = "AskAsyncCore")]
            public partial ValueTask<string> AskAsync(string question);

            private Task<int> AskAsyncCore(string question) => Task.FromResult(1);
        }
        """);

    [Fact]
    public void A_ref_parameter() => Expect(DiagnosticDescriptors.RefParameterId, "ref int attempts", "Parameter 'attempts' of [LlmCached] method 'Ask' is 'ref'", """
        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask(string question, ref int attempts);

            private string AskCore(string question, ref int attempts) => question;
        }
        """);

    [Fact]
    public void An_unsupported_return_type() => Expect(DiagnosticDescriptors.UnsupportedReturnTypeId, "Task", "returns 'System.Threading.Tasks.Task'", """
        public partial class Assistant
        {
            [LlmCached]
            public partial Task AskAsync(string question);

            private Task AskAsyncCore(string question) => Task.CompletedTask;
        }
        """);

    [Theory]
    [InlineData("object payload", "object", "'object' says nothing about the data it holds")]
    [InlineData("Func<string> prompt", "Func<string>", "a delegate is code, not data")]
    [InlineData("Task<string> pending", "Task<string>", "a task is a pending operation")]
    [InlineData("IEnumerable<string> words", "IEnumerable<string>", "a plain sequence may be lazy")]
    [InlineData("Opaque opaque", "Opaque", "it has no public readable data")]
    [InlineData("Node node", "Node", "it refers to itself")]
    [InlineData("IShape shape", "IShape", "an abstract type or interface")]
    [InlineData("Uri endpoint", "Uri", "framework types are keyed only when LlmCache knows their stable form")]
    [InlineData("OwnedTags tags", "OwnedTags", "it is a collection, keyed by its elements, but its member 'Owner' is data of its own that the key would miss")]
    [InlineData("Failure failure", "Failure", "it derives from the framework type 'System.Exception', whose data its public members may not show")]
    [InlineData("TwoLists both", "TwoLists", "it is a collection in more than one way (System.Collections.Generic.IReadOnlyList<string>, System.Collections.Generic.IReadOnlyList<int>)")]
    [InlineData("Bag bag", "Bag", "it is a sequence, but not a list, set or dictionary")]
    [InlineData("Tree tree", "Tree", "its elements of type 'Demo.Tree' have no key form: it refers to itself")]
    [InlineData("IReadOnlyList<Failure> failures", "IReadOnlyList<Failure>", "its elements of type 'Demo.Failure' have no key form: it derives from the framework type 'System.Exception'")]
    [InlineData("MarkerOptions options", "MarkerOptions", "it derives from 'Microsoft.Extensions.AI.ChatOptions', and LlmCache keys only instances of ChatOptions itself")]
    [InlineData("Microsoft.Extensions.AI.ChatResponse response", "Microsoft.Extensions.AI.ChatResponse", "among Microsoft.Extensions.AI types only ChatMessage (alone, or in a list or an array), AIContent and ChatOptions are key inputs")]
    public void A_key_parameter_without_a_stable_key_form(string parameter, string typeText, string reason)
    {
        string source = $$"""
            // No state of its own: it is not LLMC0013, but the runtime writer keys ChatOptions instances only.
            public sealed class MarkerOptions : Microsoft.Extensions.AI.ChatOptions
            {
                public override string ToString() => "marker";
            }

            public sealed class OwnedTags : List<string>
            {
                public string Owner { get; set; } = "";
            }

            public sealed class Failure : Exception
            {
                public int Code { get; init; }
            }

            public sealed class TwoLists : IReadOnlyList<string>, IReadOnlyList<int>
            {
                public int Count => 0;
                public string this[int index] => "";
                int IReadOnlyList<int>.this[int index] => 0;
                public IEnumerator<string> GetEnumerator() => throw null!;
                IEnumerator<int> IEnumerable<int>.GetEnumerator() => throw null!;
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => throw null!;
            }

            public sealed class Tree : List<Tree>;

            public sealed class Bag : IEnumerable<string>
            {
                public int Count => 0;
                public IEnumerator<string> GetEnumerator() => throw null!;
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => throw null!;
            }

            public sealed class Opaque
            {
                private readonly int _secret = 1;
                public int Peek() => _secret;
            }

            public sealed class Node
            {
                public string Name { get; set; } = "";
                public Node? Next { get; set; }
            }

            public interface IShape
            {
                double Area { get; }
            }

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask({{parameter}});

                private string AskCore({{parameter}}) => "";
            }
            """;
        Expect(DiagnosticDescriptors.UnsupportedKeyTypeId, typeText, reason, source);
    }

    [Theory]
    [InlineData("IList<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options")]
    [InlineData("IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatMessage[] more, List<Microsoft.Extensions.AI.ChatMessage> list")]
    [InlineData("Microsoft.Extensions.AI.ChatMessage message, Microsoft.Extensions.AI.TextContent text, IReadOnlyList<Microsoft.Extensions.AI.AIContent> contents")]
    public void Microsoft_Extensions_AI_requests_are_key_inputs(string parameters)
    {
        GeneratorResult result = GeneratorHarness.Run(Header + $$"""
            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask({{parameters}});

                private string AskCore({{parameters}}) => "";
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("Redis")]
    [InlineData("AzureBlob")]
    [InlineData("RedisSemantic")]
    public void A_remote_cache_type_without_json_type_information(string type) => Expect(DiagnosticDescriptors.NoJsonTypeInfoId, "ForecastAsync", "name a JsonSerializerContext that lists it", $$"""
        public sealed record Forecast(string City, double Celsius);

        public partial class Weather
        {
            [LlmCached(Type = CacheType.{{type}})]
            public partial ValueTask<Forecast> ForecastAsync(string city);

            private ValueTask<Forecast> ForecastAsyncCore(string city) => new(new Forecast(city, 1));
        }
        """);

    [Fact]
    public void A_remote_stream_of_updates_without_json_type_information() => Expect(DiagnosticDescriptors.NoJsonTypeInfoId, "TokensAsync", "name a JsonSerializerContext that lists it", """
        public sealed record Token(string Text);

        public partial class Narrator
        {
            [LlmCached(Type = CacheType.Disk)]
            public partial IAsyncEnumerable<Token> TokensAsync(string story);

            private IAsyncEnumerable<Token> TokensAsyncCore(string story) => throw new NotImplementedException();
        }
        """);

    [Fact]
    public void A_streaming_method_with_an_implementation_that_returns_a_value() => Expect(DiagnosticDescriptors.ImplementationMismatchId, "TellAsyncCore", "a streaming cached method needs an implementation that returns IAsyncEnumerable<T>", """
        public partial class Narrator
        {
            [LlmCached]
            public partial IAsyncEnumerable<string> TellAsync(string story);

            private Task<string> TellAsyncCore(string story) => Task.FromResult(story);
        }
        """);

    [Fact]
    public void A_value_method_with_an_implementation_that_returns_a_stream() => Expect(DiagnosticDescriptors.ImplementationMismatchId, "TellAsyncCore", "it returns a stream", """
        public partial class Narrator
        {
            [LlmCached]
            public partial Task<string> TellAsync(string story);

            private IAsyncEnumerable<string> TellAsyncCore(string story) => throw new NotImplementedException();
        }
        """);

    [Fact]
    public void A_generic_method() => Expect(DiagnosticDescriptors.GenericMethodId, "Ask", "has type parameters", """
        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask<T>(string question)
                where T : class, System.IDisposable, new();

            private string AskCore<T>(string question) => question;
        }
        """);

    [Fact]
    public void A_span_parameter() => Expect(DiagnosticDescriptors.StackOnlyParameterId, "params ReadOnlySpan<string> words", "Parameter 'words' of [LlmCached] method 'Join' has type 'System.ReadOnlySpan<string>': a ref struct lives only on the caller's stack", """
        public partial class Assistant
        {
            [LlmCached]
            public partial string Join(params ReadOnlySpan<string> words);

            private string JoinCore(ReadOnlySpan<string> words) => "";
        }
        """);

    [Fact]
    public void A_pointer_parameter_not_in_the_key() => Expect(DiagnosticDescriptors.StackOnlyParameterId, "[NotCacheKey] int* scratch", "a pointer is an address", """
        public unsafe partial class Assistant
        {
            [LlmCached]
            public partial string Ask(string question, [NotCacheKey] int* scratch);

            private string AskCore(string question, int* scratch) => question;
        }
        """);

    [Fact]
    public void An_instance_method_of_a_ref_struct() => Expect(DiagnosticDescriptors.RefStructInstanceMethodId, "Ask", "instance method of the ref struct 'Scratch'", """
        public ref partial struct Scratch
        {
            [LlmCached]
            public partial string Ask(string question);

            private string AskCore(string question) => question;
        }
        """);

    [Fact]
    public void Each_problem_is_reported_once_and_nothing_is_generated_for_the_method()
    {
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask(object payload);
            }
            """);

        Assert.Equal(new[] { "LLMC0003", "LLMC0007" }, result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id));
        string fallback = Assert.Single(result.RunResult.GeneratedSources).SourceText.ToString();
        Assert.Contains("throw new global::System.InvalidOperationException(\"LlmCache could not generate Ask", fallback, System.StringComparison.Ordinal);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.All(result.GeneratorDiagnostics, d => Assert.EndsWith($"docs/diagnostics/{d.Id}.md", d.Descriptor.HelpLinkUri, System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_ref_readonly_parameter() => Expect(DiagnosticDescriptors.RefParameterId, "ref readonly int attempts", "is 'ref readonly'", """
        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask(string question, ref readonly int attempts);

            private string AskCore(string question, ref readonly int attempts) => question;
        }
        """);

    [Theory]
    [InlineData("")]
    [InlineData("not an identifier")]
    [InlineData("Ask")]
    public void An_implementation_name_that_can_never_work_is_left_to_the_analyzer(string name)
    {
        GeneratorResult result = GeneratorHarness.Run(Header + $$"""
            public partial class Assistant
            {
                [LlmCached(Implementation = "{{name}}")]
                public partial string Ask(string question);
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.DoesNotContain(result.Output.GetDiagnostics(), d => d.Id == "CS8795");
    }

    [Fact]
    public void A_pragma_around_the_method_suppresses_its_diagnostic()
    {
        const string Method = """
            public partial class Assistant
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(object prompt);

                private ValueTask<string> AskAsyncCore(object prompt) => new("x");
            }

            """;

        GeneratorResult plain = GeneratorHarness.Run(Header + Method);
        GeneratorResult suppressed = GeneratorHarness.Run(Header + "#pragma warning disable LLMC0007\n" + Method + "#pragma warning restore LLMC0007\n");

        Assert.Equal("LLMC0007", Assert.Single(plain.GeneratorDiagnostics).Id);
        Assert.DoesNotContain(suppressed.GeneratorDiagnostics, d => d.Id == "LLMC0007" && !d.IsSuppressed);
    }

    [Theory]
    [InlineData("TaggedOptions options", "TaggedOptions", "which derives from 'Microsoft.Extensions.AI.ChatOptions' and adds 'RequestId': LlmCache keys a ChatOptions by ChatOptions's own members", "Pass a plain ChatOptions and put the value in its AdditionalProperties")]
    [InlineData("IList<TenantMessage> messages", "IList<TenantMessage>", "derives from 'Microsoft.Extensions.AI.ChatMessage' and adds '_tenant'", "Pass a plain ChatMessage")]
    [InlineData("TenantMessage[] messages", "TenantMessage[]", "adds '_tenant'", "or implement LlmCache.ICacheKeyWritable on 'TenantMessage'")]
    [InlineData("DerivedOptions options", "DerivedOptions", "which derives from 'Microsoft.Extensions.AI.ChatOptions' and adds 'RequestId'", "Pass a plain ChatOptions")]
    [InlineData("NoteContent note", "NoteContent", "which derives from 'Microsoft.Extensions.AI.AIContent' and adds 'Audience'", "Declare the parameter as AIContent")]
    public void A_key_input_that_adds_state_to_a_Microsoft_Extensions_AI_request_type(string parameter, string typeText, string reason, string fix)
    {
        string source = $$"""
            public class TaggedOptions : Microsoft.Extensions.AI.ChatOptions
            {
                public string? RequestId { get; set; }
            }

            public class DerivedOptions : TaggedOptions;

            public sealed class TenantMessage : Microsoft.Extensions.AI.ChatMessage
            {
                private readonly string _tenant = "acme";
                public string Tenant() => _tenant;
            }

            public sealed class NoteContent : Microsoft.Extensions.AI.AIContent
            {
                public string Audience { get; init; } = "";
            }

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask({{parameter}});

                private string AskCore({{parameter}}) => "";
            }
            """;
        Expect(DiagnosticDescriptors.HiddenRequestStateId, typeText, reason, source);
        Expect(DiagnosticDescriptors.HiddenRequestStateId, typeText, fix, source);
    }

    [Fact]
    public void A_derived_request_type_that_writes_its_own_key_is_accepted()
    {
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public sealed class TaggedOptions : Microsoft.Extensions.AI.ChatOptions, ICacheKeyWritable
            {
                public string? RequestId { get; set; }
                public void WriteCacheKey(ref CacheKeyWriter writer) => writer.WriteString(RequestId);
            }

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask(TaggedOptions options);

                private string AskCore(TaggedOptions options) => "";
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems);
    }

    [Fact]
    public void A_semantic_method_with_no_text_to_embed() => Expect(DiagnosticDescriptors.NoSemanticInputId, "ScoreAsync", "has no string or chat messages key input to embed", """
        public partial class Assistant
        {
            [LlmCached(Type = CacheType.Semantic)]
            public partial ValueTask<string> ScoreAsync(int points, double weight);

            private ValueTask<string> ScoreAsyncCore(int points, double weight) => new("x");
        }
        """);

    [Fact]
    public void A_semantic_method_with_two_strings_and_no_semantic_key() => Expect(DiagnosticDescriptors.NoSemanticInputId, "AskAsync", "has 2 inputs that could be embedded (model, question); mark the one to embed with [SemanticKey]", """
        public partial class Assistant
        {
            [LlmCached(Type = CacheType.DualSemantic)]
            public partial ValueTask<string> AskAsync(string model, string question);

            private ValueTask<string> AskAsyncCore(string model, string question) => new("x");
        }
        """);

    [Fact]
    public void A_semantic_key_that_is_not_text() => Expect(DiagnosticDescriptors.NoSemanticInputId, "AskAsync", "its [SemanticKey] parameter 'seed' is not a string or chat messages", """
        public partial class Assistant
        {
            [LlmCached(Type = CacheType.Semantic)]
            public partial ValueTask<string> AskAsync(string question, [SemanticKey] int seed);

            private ValueTask<string> AskAsyncCore(string question, int seed) => new("x");
        }
        """);

    [Theory]
    [InlineData("1.5", "1.5")]
    [InlineData("-0.1", "-0.1")]
    [InlineData("double.NaN", "NaN")]
    public void A_similarity_threshold_outside_zero_to_one(string written, string reported) => Expect(DiagnosticDescriptors.SimilarityThresholdOutOfRangeId, written, $"sets SimilarityThreshold = {reported};", $$"""
        public partial class Assistant
        {
            [LlmCached(Type = CacheType.Semantic, SimilarityThreshold = {{written}})]
            public partial ValueTask<string> AskAsync(string question);

            private ValueTask<string> AskAsyncCore(string question) => new("x");
        }
        """);

    private static void Expect(string id, string locationText, string messagePart, string source)
    {
        GeneratorResult result = GeneratorHarness.Run(Header + source);

        // A method the generator cannot write still gets a (throwing) body, so its LLMC error is not joined by CS8795;
        // only a type that is not partial cannot take one.
        if (id != DiagnosticDescriptors.TypeNotPartialId)
        {
            Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        }

        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(messagePart, diagnostic.GetMessage(), System.StringComparison.Ordinal);
        SyntaxTree tree = result.Output.SyntaxTrees.Single(t => t.FilePath == diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(locationText, tree.GetText().ToString(diagnostic.Location.SourceSpan));

        // In the user's own syntax tree, not a bare file location: #pragma, SuppressMessage and the IDE see it as source.
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
        Assert.Same(tree, diagnostic.Location.SourceTree);
    }
}
