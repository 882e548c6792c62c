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

    private static DiagnosticResult Unstable(int location, string parameter, string type, string reason) =>
        Verify.Diagnostic(DiagnosticDescriptors.UnstableKeyParameterTypeId).WithLocation(location).WithArguments(parameter, type, reason);

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
    [InlineData("Hashtable")]
    [InlineData("IDictionary")]
    [InlineData("ImmutableHashSet<string>")]
    [InlineData("ImmutableDictionary<string, string>")]
    [InlineData("ConcurrentBag<string>")]
    [InlineData("System.Collections.Frozen.FrozenSet<string>")]
    public Task Flags_an_unordered_collection_key_parameter(string type) =>
        VerifyAsync($"    [LlmCached] public partial string Ask(string prompt, {{|#0:{type}|}} tags);",
            Unordered(0, "tags", type.Replace("System.Collections.Frozen.", string.Empty)));

    [Fact]
    public Task Flags_a_class_deriving_from_an_unordered_collection() =>
        VerifyAsync("""
                [LlmCached] public partial string Ask({|#0:Tags|} tags);
                public sealed class Tags : HashSet<string> { }
            """,
            Unordered(0, "tags", "Tags"));

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

    [Theory]
    [InlineData("object", "an object's contents are not known at compile time")]
    [InlineData("dynamic", "a dynamic value has no type known at compile time")]
    [InlineData("Func<string>", "a delegate is code, not data")]
    [InlineData("Action", "a delegate is code, not data")]
    [InlineData("Delegate", "a delegate is code, not data")]
    [InlineData("Task<string>", "a task is a pending operation: await it and pass its result")]
    [InlineData("Task", "a task is a pending operation: await it and pass its result")]
    [InlineData("ValueTask<int>", "a task is a pending operation: await it and pass its result")]
    [InlineData("Opaque", "it has no public readable properties or fields")]
    [InlineData("OpaqueStruct", "it has no public readable properties or fields")]
    [InlineData("IService", "it has no public readable properties or fields")]
    [InlineData("object[]", "its elements are 'object': an object's contents are not known at compile time")]
    [InlineData("List<Func<int>>", "its elements are 'Func<int>': a delegate is code, not data")]
    [InlineData("IReadOnlyList<Opaque>", "its elements are 'Opaque': it has no public readable properties or fields")]
    [InlineData("Task<string>?", "a task is a pending operation: await it and pass its result")]
    public Task Flags_a_key_parameter_with_no_stable_key_form(string type, string reason) =>
        VerifyAsync($$"""
                [LlmCached] public partial string Ask(string prompt, {|#0:{{type}}|} input);
                public sealed class Opaque { private int _secret; public int Compute() => _secret; }
                public struct OpaqueStruct { private int _value; public override string ToString() => _value.ToString(); }
                public interface IService { string Run(); }
            """,
            Unstable(0, "input", type, reason));

    [Fact]
    public Task Flags_a_pointer_key_parameter() =>
        VerifyAsync("    [LlmCached] public unsafe partial string Ask({|#0:byte*|} data);",
            Unstable(0, "data", "byte*", "a pointer is an address, not data"));

    [Theory]
    [InlineData("Stream")]
    [InlineData("MemoryStream")]
    [InlineData("Guid")]
    [InlineData("Half")]
    [InlineData("Int128")]
    [InlineData("DateTimeOffset")]
    [InlineData("TimeSpan?")]
    [InlineData("DayOfWeek")]
    [InlineData("ReadOnlyMemory<byte>")]
    [InlineData("byte[]")]
    [InlineData("Writable")]
    [InlineData("Message")]
    [InlineData("IReadOnlyList<Message>")]
    [InlineData("IReadOnlyList<KeyValuePair<string, Message>>")]
    public Task Ignores_key_parameters_with_a_stable_key_form(string type) =>
        VerifyAsync($$"""
                [LlmCached] public partial string Ask({{type}} input);
                public sealed class Writable : ICacheKeyWritable { private int _id; public void WriteCacheKey(ref CacheKeyWriter writer) => writer.Write(_id); }
                public sealed record Message(string Role, string Text);
            """);

    [Fact]
    public Task Reports_only_the_cost_of_an_unordered_dictionary_whose_entries_have_a_key_form() =>
        VerifyAsync("    [LlmCached] public partial string Ask({|#0:Dictionary<string, int[]>|} input);",
            Unordered(0, "input", "Dictionary<string, int[]>"));

    [Fact]
    public Task Reports_an_unordered_dictionary_whose_values_have_no_key_form_as_unstable_only() =>
        VerifyAsync("    [LlmCached] public partial string Ask({|#0:Dictionary<string, object>|} input);",
            Unstable(0, "input", "Dictionary<string, object>",
                "its elements are 'KeyValuePair<string, object>': its values are 'object': an object's contents are not known at compile time"));

    [Fact]
    public Task Ignores_unstable_types_that_are_not_key_inputs() =>
        VerifyAsync("""
                [LlmCached] public partial ValueTask<string> AskAsync(string prompt, [NotCacheKey] Func<string, Task> onProgress, [NotCacheKey] object? state, CacheControl cache = default, CancellationToken ct = default);
                public string NotCached(object input, Func<int> f) => "";
            """);

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
                [LlmCached] public partial string Ask(string prompt, {|#0:Func<string>|} {|#1:authToken|}, {|#2:HashSet<string>|} {|#3:secrets|});
            """,
            Unstable(0, "authToken", "Func<string>", "a delegate is code, not data"),
            Secret(1, "authToken"),
            Unordered(2, "secrets", "HashSet<string>"),
            Secret(3, "secrets"));
}
