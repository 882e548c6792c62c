using System.Threading.Tasks;
using LlmCache.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using GeneratorDescriptors = LlmCache.Generators.DiagnosticDescriptors;
using GeneratorKeyFix = LlmCache.Analyzers.Tests.GeneratorCodeFixVerifier<LlmCache.CodeFixes.AddNotCacheKeyCodeFixProvider>;
using KeyFix = LlmCache.Analyzers.Tests.CodeFixVerifier<LlmCache.Analyzers.KeyParameterAnalyzer, LlmCache.CodeFixes.AddNotCacheKeyCodeFixProvider>;
using MisplacedKeyFix = LlmCache.Analyzers.Tests.CodeFixVerifier<LlmCache.Analyzers.Tests.MisplacedUnsupportedKeyTypeAnalyzer, LlmCache.CodeFixes.AddNotCacheKeyCodeFixProvider>;
using OrderedFix = LlmCache.Analyzers.Tests.CodeFixVerifier<LlmCache.Analyzers.KeyParameterAnalyzer, LlmCache.CodeFixes.OrderedCollectionCodeFixProvider>;
using PartialFix = LlmCache.Analyzers.Tests.CodeFixVerifier<LlmCache.Analyzers.Tests.GeneratorDiagnosticsAnalyzer, LlmCache.CodeFixes.MakePartialCodeFixProvider>;
using StubFix = LlmCache.Analyzers.Tests.CodeFixVerifier<LlmCache.Analyzers.Tests.GeneratorDiagnosticsAnalyzer, LlmCache.CodeFixes.ImplementationStubCodeFixProvider>;

namespace LlmCache.Analyzers.Tests;

public sealed class MakePartialCodeFixTests
{
    [Fact]
    public Task Makes_the_method_partial() =>
        PartialFix.VerifyAsync("""
            using System.Threading.Tasks;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public ValueTask<string> {|#0:AskAsync|}(string prompt);

                private ValueTask<string> AskAsyncCore(string prompt) => new(prompt);
            }
            """, """
            using System.Threading.Tasks;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(string prompt);

                private ValueTask<string> AskAsyncCore(string prompt) => new(prompt);
            }
            """,
            PartialFix.Diagnostic("LLMC0001").WithLocation(0).WithArguments("AskAsync"),
            DiagnosticResult.CompilerError("CS0501").WithLocation(0).WithArguments("Assistant.AskAsync(string)"));

    [Fact]
    public Task Makes_the_method_and_every_containing_type_partial_and_leaves_partial_ones_alone() =>
        PartialFix.VerifyAsync("""
            using LlmCache;

            namespace Demo;

            public static partial class Outer
            {
                class {|#0:Middle|}
                {
                    internal sealed record {|#1:Inner|}
                    {
                        [LlmCached]
                        public static string {|#2:Ask|}(string prompt);

                        private static string AskCore(string prompt) => prompt;
                    }
                }
            }
            """, """
            using LlmCache;

            namespace Demo;

            public static partial class Outer
            {
                partial class Middle
                {
                    internal sealed partial record Inner
                    {
                        [LlmCached]
                        public static partial string Ask(string prompt);

                        private static string AskCore(string prompt) => prompt;
                    }
                }
            }
            """,
            PartialFix.Diagnostic("LLMC0002").WithLocation(0).WithArguments("Middle"),
            PartialFix.Diagnostic("LLMC0002").WithLocation(1).WithArguments("Inner"),
            PartialFix.Diagnostic("LLMC0001").WithLocation(2).WithArguments("Ask"),
            DiagnosticResult.CompilerError("CS0501").WithLocation(2).WithArguments("Demo.Outer.Middle.Inner.Ask(string)"));

    [Fact]
    public Task Is_not_offered_for_a_diagnostic_it_does_not_fix() =>
        PartialFix.VerifyAsync(Source, Source, PartialFix.Diagnostic("LLMC0003").WithLocation(0).WithArguments("Ask", "AskCore"));

    private const string Source = """
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial string {|#0:Ask|}(string prompt);
        }
        """;
}

public sealed class ImplementationStubCodeFixTests
{
    [Fact]
    public Task Creates_the_implementation_with_every_parameter_but_the_CacheControl() =>
        StubFix.VerifyAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached(Ttl = 60)]
                public partial ValueTask<string> {|#0:AskAsync|}(string prompt, [NotCacheKey] string apiKey, float temperature = 0.7f, CacheControl cache = default, CancellationToken ct = default);
            }
            """, """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached(Ttl = 60)]
                public partial ValueTask<string> AskAsync(string prompt, [NotCacheKey] string apiKey, float temperature = 0.7f, CacheControl cache = default, CancellationToken ct = default);

                private ValueTask<string> AskAsyncCore(string prompt, string apiKey, float temperature, CancellationToken ct) => throw new NotImplementedException();
            }
            """,
            StubFix.Diagnostic("LLMC0003").WithLocation(0).WithArguments("AskAsync", "AskAsyncCore"));

    [Fact]
    public Task Uses_the_attribute_Implementation_name_and_keeps_static_generic_methods_static_and_generic() =>
        StubFix.VerifyAsync("""
            using System.Collections.Generic;

            public static partial class Translator
            {
                [LlmCache.LlmCached(Implementation = "CallModel")]
                public static partial IReadOnlyList<T> {|#0:Translate|}<T>(IReadOnlyList<T> items, string language) where T : notnull;

                public static void Other() { }
            }
            """, """
            using System.Collections.Generic;

            public static partial class Translator
            {
                [LlmCache.LlmCached(Implementation = "CallModel")]
                public static partial IReadOnlyList<T> Translate<T>(IReadOnlyList<T> items, string language) where T : notnull;

                private static IReadOnlyList<T> CallModel<T>(IReadOnlyList<T> items, string language) where T : notnull => throw new System.NotImplementedException();

                public static void Other() { }
            }
            """,
            StubFix.Diagnostic("LLMC0003").WithLocation(0).WithArguments("Translate", "CallModel"));

    [Fact]
    public Task Is_not_offered_when_the_Implementation_name_is_not_an_identifier() =>
        StubFix.VerifyAsync(Source, Source, StubFix.Diagnostic("LLMC0003").WithLocation(0).WithArguments("Ask", "Call Model"));

    private const string Source = """
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached(Implementation = "Call Model")]
            public partial string {|#0:Ask|}(string prompt);
        }
        """;
}

public sealed class AddNotCacheKeyCodeFixTests
{
    [Fact]
    public Task Marks_a_secret_parameter_NotCacheKey() =>
        KeyFix.VerifyAsync("""
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask(string prompt, string {|#0:apiKey|});

                private string AskCore(string prompt, string apiKey) => prompt;
            }
            """, """
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask(string prompt, [NotCacheKey] string apiKey);

                private string AskCore(string prompt, string apiKey) => prompt;
            }
            """,
            KeyFix.Diagnostic(DiagnosticDescriptors.SecretKeyParameterId).WithLocation(0).WithArguments("apiKey"));

    [Fact]
    public Task Marks_a_parameter_the_generator_cannot_key_NotCacheKey_and_adds_the_using_directive() =>
        GeneratorKeyFix.VerifyAsync("""
            public partial class Assistant
            {
                [LlmCache.LlmCached]
                public partial string Ask(string prompt, {|#0:System.Action<int>|} onProgress);

                private string AskCore(string prompt, System.Action<int> onProgress) => prompt;
            }
            """, """
            using LlmCache;

            public partial class Assistant
            {
                [LlmCache.LlmCached]
                public partial string Ask(string prompt, [NotCacheKey] System.Action<int> onProgress);

                private string AskCore(string prompt, System.Action<int> onProgress) => prompt;
            }
            """,
            GeneratorKeyFix.Diagnostic(GeneratorDescriptors.UnsupportedKeyTypeId).WithLocation(0).WithArguments("onProgress", "System.Action<int>", "a delegate is code, not data"));

    [Fact]
    public Task Marks_a_parameter_whose_member_has_no_key_form_NotCacheKey() =>
        GeneratorKeyFix.VerifyAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using LlmCache;

            public sealed record Request(string Text, object Extra);

            public partial class Assistant
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(string model, {|#0:Request|} request, CacheControl cache = default, CancellationToken ct = default);

                private ValueTask<string> AskAsyncCore(string model, Request request, CancellationToken ct) => new(request.Text);
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using LlmCache;

            public sealed record Request(string Text, object Extra);

            public partial class Assistant
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(string model, [NotCacheKey] Request request, CacheControl cache = default, CancellationToken ct = default);

                private ValueTask<string> AskAsyncCore(string model, Request request, CancellationToken ct) => new(request.Text);
            }
            """,
            GeneratorKeyFix.Diagnostic(GeneratorDescriptors.UnsupportedKeyTypeId).WithLocation(0).WithArguments(
                "request", "Request", "its member 'Extra' of type 'object' has no key form: 'object' says nothing about the data it holds at compile time"));

    [Fact]
    public Task Fixes_an_object_key_parameter_that_is_reported_once_by_generator_and_analyzers_together() =>
        GeneratorKeyFix.VerifyAsync("""
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask({|#0:object|} prompt, string {|#1:apiKey|});

                private string AskCore(object prompt, string apiKey) => "";
            }
            """, """
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask([NotCacheKey] object prompt, [NotCacheKey] string apiKey);

                private string AskCore(object prompt, string apiKey) => "";
            }
            """,
            GeneratorKeyFix.Diagnostic(GeneratorDescriptors.UnsupportedKeyTypeId).WithLocation(0).WithArguments(
                "prompt", "object", "'object' says nothing about the data it holds at compile time"),
            GeneratorKeyFix.Diagnostic(DiagnosticDescriptors.SecretKeyParameter).WithLocation(1).WithArguments("apiKey"));

    [Fact]
    public Task Is_not_offered_for_another_generator_error_on_a_parameter() =>
        GeneratorKeyFix.VerifyAsync(RefSource, RefSource,
            GeneratorKeyFix.Diagnostic(GeneratorDescriptors.RefParameterId).WithLocation(0).WithArguments("attempts", "Ask", "ref"));

    [Fact]
    public Task Is_not_offered_outside_the_parameters_of_a_cached_method() =>
        MisplacedKeyFix.VerifyAsync(MisplacedSource, MisplacedSource,
            MisplacedKeyFix.Diagnostic(GeneratorDescriptors.UnsupportedKeyTypeId).WithLocation(0),
            MisplacedKeyFix.Diagnostic(GeneratorDescriptors.UnsupportedKeyTypeId).WithLocation(1),
            MisplacedKeyFix.Diagnostic(GeneratorDescriptors.UnsupportedKeyTypeId).WithLocation(2));

    private const string RefSource = """
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask(string prompt, {|#0:ref int attempts|});
        }
        """;

    private const string MisplacedSource = """
        using System;
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask(string prompt);

            private string AskCore({|#0:string|} prompt)
            {
                Func<object, string> describe = ({|#1:object|} value) => prompt;
                return describe(prompt);
            }

            public string NotCached({|#2:object|} input) => "";
        }
        """;

    [Fact]
    public Task Is_not_offered_for_an_unordered_collection() =>
        KeyFix.VerifyAsync(UnorderedSource, UnorderedSource,
            KeyFix.Diagnostic(DiagnosticDescriptors.UnorderedCollectionKeyParameterId).WithLocation(0).WithArguments("tags", "HashSet<string>"));

    private const string UnorderedSource = """
        using System.Collections.Generic;
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask({|#0:HashSet<string>|} tags);

            private string AskCore(HashSet<string> tags) => "";
        }
        """;
}

public sealed class OrderedCollectionCodeFixTests
{
    [Fact]
    public Task Replaces_a_set_by_a_read_only_list_in_the_cached_method_and_its_implementation() =>
        OrderedFix.VerifyAsync("""
            using System.Collections.Generic;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask(string prompt, {|#0:HashSet<string>|} tags);

                private string AskCore(string prompt, HashSet<string> tags) => prompt + tags.Count;
            }
            """, """
            using System.Collections.Generic;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached]
                public partial string Ask(string prompt, IReadOnlyList<string> tags);

                private string AskCore(string prompt, IReadOnlyList<string> tags) => prompt + tags.Count;
            }
            """,
            OrderedFix.Diagnostic(DiagnosticDescriptors.UnorderedCollectionKeyParameterId).WithLocation(0).WithArguments("tags", "HashSet<string>"));

    [Fact]
    public Task Replaces_a_dictionary_by_a_read_only_list_of_pairs() =>
        OrderedFix.VerifyAsync("""
            using System.Collections.Generic;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached(Implementation = nameof(Call))]
                public partial string Ask({|#0:IReadOnlyDictionary<string, int>|} weights);

                private string Call(IReadOnlyDictionary<string, int> weights) => "";
            }
            """, """
            using System.Collections.Generic;
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached(Implementation = nameof(Call))]
                public partial string Ask(IReadOnlyList<KeyValuePair<string, int>> weights);

                private string Call(IReadOnlyList<KeyValuePair<string, int>> weights) => "";
            }
            """,
            OrderedFix.Diagnostic(DiagnosticDescriptors.UnorderedCollectionKeyParameterId).WithLocation(0).WithArguments("weights", "IReadOnlyDictionary<string, int>"));

    [Fact]
    public Task Is_not_offered_for_a_diagnostic_it_does_not_fix() =>
        OrderedFix.VerifyAsync(SecretSource, SecretSource,
            OrderedFix.Diagnostic(DiagnosticDescriptors.SecretKeyParameterId).WithLocation(0).WithArguments("password"));

    private const string SecretSource = """
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask(string prompt, string {|#0:password|});

            private string AskCore(string prompt, string password) => prompt;
        }
        """;
}
