using System.Threading.Tasks;
using LlmCache.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using KeyFix = LlmCache.Analyzers.Tests.CodeFixVerifier<LlmCache.Analyzers.KeyParameterAnalyzer, LlmCache.CodeFixes.AddNotCacheKeyCodeFixProvider>;
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
    public Task Marks_a_parameter_with_no_key_form_NotCacheKey_and_adds_the_using_directive() =>
        KeyFix.VerifyAsync("""
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
            KeyFix.Diagnostic(DiagnosticDescriptors.UnstableKeyParameterTypeId).WithLocation(0).WithArguments("onProgress", "Action<int>", "a delegate is code, not data"));

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
    public Task Is_not_offered_for_a_collection_without_a_generic_element_type() =>
        OrderedFix.VerifyAsync(NonGenericSource, NonGenericSource,
            OrderedFix.Diagnostic(DiagnosticDescriptors.UnorderedCollectionKeyParameterId).WithLocation(0).WithArguments("table", "Hashtable"));

    private const string NonGenericSource = """
        using System.Collections;
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask({|#0:Hashtable|} table);

            private string AskCore(Hashtable table) => "";
        }
        """;
}
