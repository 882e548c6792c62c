using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = LlmCache.Analyzers.Tests.AnalyzerVerifier<LlmCache.Analyzers.KeyParameterAnalyzer>;

namespace LlmCache.Analyzers.Tests;

public sealed class KeyParameterTests
{
    private const string Usings = """
        using System;
        using System.Collections;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        """;

    private static Task VerifyAsync(string members, params DiagnosticResult[] expected) =>
        Verify.VerifyAsync(Usings + "public partial class Assistant\n{\n" + members + "\n}\n", expected);

    private static DiagnosticResult Unordered(int location, string parameter, string type) =>
        Verify.Diagnostic(DiagnosticDescriptors.UnorderedCollectionKeyParameterId).WithLocation(location).WithArguments(parameter, type);

    private static DiagnosticResult Secret(int location, string parameter) =>
        Verify.Diagnostic(DiagnosticDescriptors.SecretKeyParameterId).WithLocation(location).WithArguments(parameter);

    [Theory]
    [InlineData("HashSet<string>")]
    [InlineData("Dictionary<string, int>")]
    [InlineData("ConcurrentDictionary<string, string>")]
    [InlineData("ISet<int>")]
    [InlineData("IDictionary<string, string>")]
    [InlineData("IReadOnlySet<string>")]
    [InlineData("IReadOnlyDictionary<string, double>")]
    [InlineData("ImmutableHashSet<string>")]
    [InlineData("ImmutableDictionary<string, string>")]
    [InlineData("System.Collections.Frozen.FrozenSet<string>")]
    [InlineData("System.Collections.Frozen.FrozenDictionary<string, int>")]
    [InlineData("HashSet<Message>")]
    [InlineData("Tags")]
    public Task Flags_an_unordered_collection_key_parameter(string type) =>
        VerifyAsync($$"""
                [LlmCached] public partial string Ask(string prompt, {|#0:{{type}}|} tags);
                public sealed record Message(string Role, string Text);
                public sealed class Tags : HashSet<string> { }
            """,
            Unordered(0, "tags", type.Replace("System.Collections.Frozen.", string.Empty)));

    [Fact]
    public Task Leaves_an_unordered_collection_to_a_key_function_but_still_flags_a_secret() =>
        VerifyAsync("""
                [LlmCached(KeyFunction = nameof(Key))] public partial string Ask(HashSet<string> tags, string {|#0:apiKey|});
                private static string Key(HashSet<string> tags, string apiKey) => string.Join(",", tags);
            """,
            Secret(0, "apiKey"));

    /// <summary>
    /// The generator cannot key these at all (its error LLMC0007 says why), so it sorts nothing: a bag, non-generic
    /// collections, a class derived from a set with data of its own, and sets whose entries have no key form.
    /// </summary>
    [Theory]
    [InlineData("ConcurrentBag<string>")]
    [InlineData("Hashtable")]
    [InlineData("IDictionary")]
    [InlineData("Tags")]
    [InlineData("HashSet<object>")]
    [InlineData("Dictionary<string, object>")]
    [InlineData("Dictionary<string, Func<int>>")]
    public Task Ignores_unordered_collections_the_generator_cannot_key(string type) =>
        VerifyAsync($$"""
                [LlmCached] public partial string Ask(string prompt, {{type}} tags);
                public sealed class Tags : HashSet<string> { public string Owner { get; set; } = ""; }
            """);

    [Theory]
    [InlineData("SortedDictionary<string, int>")]
    [InlineData("SortedSet<string>")]
    [InlineData("SortedList<string, int>")]
    [InlineData("ImmutableSortedDictionary<string, int>")]
    [InlineData("ImmutableSortedSet<string>")]
    [InlineData("OrderedDictionary<string, int>")]
    [InlineData("IReadOnlyList<KeyValuePair<string, int>>")]
    [InlineData("List<string>")]
    [InlineData("string[]")]
    public Task Ignores_ordered_collections(string type) =>
        VerifyAsync($"    [LlmCached] public partial string Ask(string prompt, {type} tags);");

    [Fact]
    public Task Ignores_unordered_collections_that_are_not_key_inputs() =>
        VerifyAsync("""
                [LlmCached] public partial string Ask(string prompt, [NotCacheKey] HashSet<string> seen, [NotCacheKey] Dictionary<string, object> bag);
                public string NotCached(HashSet<string> tags) => "";
            """);

    [Fact]
    public Task Reports_only_the_cost_of_an_unordered_dictionary_whose_entries_have_a_key_form() =>
        VerifyAsync("    [LlmCached] public partial string Ask({|#0:Dictionary<string, int[]>|} input);",
            Unordered(0, "input", "Dictionary<string, int[]>"));

    [Theory]
    [InlineData("apiKey")]
    [InlineData("api_key")]
    [InlineData("APIKey")]
    [InlineData("API_KEY")]
    [InlineData("apikey")]
    [InlineData("password")]
    [InlineData("userPassword")]
    [InlineData("clientSecret")]
    [InlineData("token")]
    [InlineData("accessToken")]
    [InlineData("bearer_token")]
    [InlineData("credential")]
    [InlineData("credentials")]
    [InlineData("connectionString")]
    [InlineData("CONNECTION_STRING")]
    public Task Flags_a_key_parameter_named_like_a_secret(string name) =>
        VerifyAsync($"    [LlmCached] public partial string Ask(string prompt, string {{|#0:{name}|}});", Secret(0, name));

    [Theory]
    [InlineData("maxTokens")]
    [InlineData("tokenLimit")]
    [InlineData("nextPageToken")]
    [InlineData("secretary")]
    [InlineData("keyword")]
    [InlineData("cacheKey")]
    [InlineData("passage")]
    public Task Ignores_names_that_only_look_close_to_a_secret(string name) =>
        VerifyAsync($"    [LlmCached] public partial string Ask(string prompt, string {name});");

    [Fact]
    public Task Ignores_secrets_that_are_not_key_inputs_and_secrets_of_methods_that_are_not_cached() =>
        VerifyAsync("""
                [LlmCached] public partial ValueTask<string> AskAsync(string prompt, [NotCacheKey] string apiKey, CancellationToken token = default);
                public string NotCached(string password) => password;
            """);

    [Fact]
    public Task Reports_every_rule_that_applies_to_one_parameter_and_each_parameter_once() =>
        VerifyAsync("""
                [LlmCached] public partial string Ask(string prompt, string {|#0:authToken|}, {|#1:HashSet<string>|} {|#2:secrets|});
            """,
            Secret(0, "authToken"),
            Unordered(1, "secrets", "HashSet<string>"),
            Secret(2, "secrets"));
}
