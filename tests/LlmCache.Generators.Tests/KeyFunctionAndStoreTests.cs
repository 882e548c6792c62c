using System.Linq;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators.Tests;

/// <summary>
/// <c>KeyFunction</c> (LiteLLM's custom <c>get_cache_key</c>) and <c>Store</c> (a named custom store): the code they
/// generate, the attributes that tell the runtime each type's stores, and LLMC0016 for a key function that cannot be called.
/// </summary>
public sealed class KeyFunctionAndStoreTests
{
    private const string Header = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        namespace Demo;

        """;

    private const string Methods = """
        namespace Demo;

        /// <summary>A type with no key form: only a key function can key it.</summary>
        public sealed class Conversation
        {
            public string UserId { get; init; } = "";
            public List<string> Turns { get; } = new();
            public Action? OnDone { get; init; }
        }

        public partial class Assistant
        {
            [LlmCached(KeyFunction = nameof(ByLastTurn), Store = "shared")]
            public partial ValueTask<string> AskAsync(Conversation conversation, string model, CacheControl cache = default, CancellationToken ct = default);

            [LlmCached(KeyFunction = nameof(ByUser), Type = CacheType.Redis)]
            public partial string Greet(Conversation conversation);

            private ValueTask<string> AskAsyncCore(Conversation conversation, string model, CancellationToken ct) => new("answer");

            private string GreetCore(Conversation conversation) => "hello";

            private static void ByLastTurn(ref CacheKeyWriter writer, Conversation conversation, string model)
            {
                writer.WriteString(model);
                writer.WriteString(conversation.Turns.Count == 0 ? null : conversation.Turns[^1]);
            }

            private static string ByUser(Conversation conversation) => conversation.UserId;
        }
        """;

    [Fact]
    public void A_key_function_that_writes_the_key_and_a_named_store() =>
        SnapshotTests.Verify(nameof(A_key_function_that_writes_the_key_and_a_named_store), "Demo.Assistant.AskAsync.g.cs", Methods);

    [Fact]
    public void A_key_function_that_returns_the_key_as_a_string() =>
        SnapshotTests.Verify(nameof(A_key_function_that_returns_the_key_as_a_string), "Demo.Assistant.Greet.g.cs", Methods);

    [Fact]
    public void Each_type_names_the_stores_of_its_methods() =>
        SnapshotTests.Verify(nameof(Each_type_names_the_stores_of_its_methods), "Demo.Assistant.LlmCacheStores.g.cs", Methods);

    [Fact]
    public void A_named_store_needs_a_serializer_as_any_store_outside_the_process()
    {
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public sealed record Answer(string Text);

            public partial class Assistant
            {
                [LlmCached(Store = "mine")]
                public partial Answer Ask(string prompt);

                private Answer AskCore(string prompt) => new(prompt);
            }
            """);

        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(DiagnosticDescriptors.NoJsonTypeInfoId, diagnostic.Id);
        Assert.Contains("the store named \"mine\"", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Missing", "is not a method of 'Assistant' or its base types", "")]
    [InlineData("NotStatic", "is not static", "private string NotStatic(string prompt, int turn) => prompt;")]
    [InlineData("WrongTypes", "takes 'int' where the method's key parameter 'prompt' is 'string'", "private static string WrongTypes(int prompt, int turn) => \"\";")]
    [InlineData("TooFew", "takes 1 key parameter(s), and the method has 2", "private static string TooFew(string prompt) => prompt;")]
    [InlineData("NoWriter", "returns void but does not take 'ref CacheKeyWriter writer' first", "private static void NoWriter(string prompt, int turn) { }")]
    [InlineData("WrongReturn", "returns 'int', not void (writing through a ref CacheKeyWriter) or string", "private static int WrongReturn(string prompt, int turn) => turn;")]
    [InlineData("Generic", "is generic", "private static string Generic<T>(string prompt, int turn) => prompt;")]
    public void A_key_function_that_cannot_be_called(string name, string problem, string declaration)
    {
        GeneratorResult result = GeneratorHarness.Run(Header + $$"""
            public partial class Assistant
            {
                [LlmCached(KeyFunction = "{{name}}")]
                public partial string Ask(string prompt, int turn, [NotCacheKey] string apiKey, CancellationToken ct = default);

                private string AskCore(string prompt, int turn, string apiKey, CancellationToken ct) => prompt;

                {{declaration}}
            }
            """);

        // The method still gets a throwing body, so the error is not joined by CS8795.
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(DiagnosticDescriptors.InvalidKeyFunctionId, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string message = diagnostic.GetMessage();
        Assert.Contains(problem, message, System.StringComparison.Ordinal);
        Assert.Contains($"'static void {name}(ref CacheKeyWriter writer, string prompt, int turn)'", message, System.StringComparison.Ordinal);
        Assert.Contains($"'static string {name}(string prompt, int turn)'", message, System.StringComparison.Ordinal);

        // At the attribute's argument, in the user's own tree.
        Assert.Equal($"\"{name}\"", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Theory]
    [InlineData("Semantic")]
    [InlineData("RedisSemantic")]
    [InlineData("DualSemantic")]
    public void A_semantic_method_with_a_key_function_is_an_error(string cacheType)
    {
        GeneratorResult result = GeneratorHarness.Run(Header + $$"""
            public partial class Assistant
            {
                [LlmCached(Type = CacheType.{{cacheType}}, KeyFunction = nameof(ByPrompt))]
                public partial ValueTask<string> AskAsync(string prompt, string model, CancellationToken ct = default);

                private ValueTask<string> AskAsyncCore(string prompt, string model, CancellationToken ct) => new(prompt);

                private static string ByPrompt(string prompt, string model) => model + prompt;
            }
            """);

        // The method still gets a throwing body, so the error is not joined by CS8795.
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(DiagnosticDescriptors.SemanticKeyFunctionId, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string message = diagnostic.GetMessage();
        Assert.Contains("'AskAsync'", message, System.StringComparison.Ordinal);
        Assert.Contains($"CacheType.{cacheType}", message, System.StringComparison.Ordinal);
        Assert.Contains("KeyFunction", message, System.StringComparison.Ordinal);

        // At the attribute's KeyFunction argument, in the user's own tree.
        Assert.Equal("nameof(ByPrompt)", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void A_semantic_type_streaming_method_with_a_key_function_is_keyed_by_it()
    {
        // A stream is cached by its exact key under a semantic type too: there is no scope for a key function to spoil.
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public partial class Assistant
            {
                [LlmCached(Type = CacheType.Semantic, KeyFunction = nameof(ByPrompt))]
                public partial IAsyncEnumerable<string> StreamAsync(string prompt, CancellationToken ct = default);

                private IAsyncEnumerable<string> StreamAsyncCore(string prompt, CancellationToken ct) => throw new NotSupportedException();

                private static string ByPrompt(string prompt) => prompt;
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems);
    }

    [Fact]
    public void A_key_function_in_a_base_type_with_in_parameters_is_accepted()
    {
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public class AssistantBase
            {
                protected static void Key(ref CacheKeyWriter writer, in Guid session) => writer.Write(session);
            }

            public partial class Assistant : AssistantBase
            {
                [LlmCached(KeyFunction = nameof(Key))]
                public partial string Ask(Guid session);

                private string AskCore(Guid session) => "";
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems);
    }

    [Fact]
    public void A_private_key_function_of_a_base_type_is_not_accessible()
    {
        GeneratorResult result = GeneratorHarness.Run(Header + """
            public class AssistantBase
            {
                private static string Key(string prompt) => prompt;
            }

            public partial class Assistant : AssistantBase
            {
                [LlmCached(KeyFunction = "Key")]
                public partial string Ask(string prompt);

                private string AskCore(string prompt) => "";
            }
            """);

        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(DiagnosticDescriptors.InvalidKeyFunctionId, diagnostic.Id);
        Assert.Contains("is not accessible from 'Assistant'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
