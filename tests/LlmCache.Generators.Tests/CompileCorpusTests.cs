using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmCache.Generators.Tests;

/// <summary>
/// Legal method shapes compiled with the real generator, nullable on and every warning wave, as a project with
/// TreatWarningsAsErrors would: each either compiles with no CS diagnostic at all and runs (its probe calls the
/// method twice: the second call must be a hit), or gets exactly the expected LLMC errors and no CS diagnostic
/// beside them (except those the compiler reports for the user's code with no generator at all: a partial method in
/// a type that is not partial draws CS0751 and CS8795 from the compiler itself, and no generated part can fix that,
/// as a second part of the type would add CS0260; a file-local type cannot take a part from another file, so its
/// CS8795 stays too).
/// </summary>
/// <remarks>
/// <code>
/// shape                                                   outcome
/// parameters named writer, size, value                    runs
/// parameters named like every generated local (__llm…)    runs
/// parameters named like the key class, implementation     runs
/// CacheControl / CancellationToken named writer, __llm…   runs
/// parameter named like the containing type                runs
/// keyword parameter names (@class, @event, @int)          runs
/// nullable reference key parameters                       runs
/// in parameters                                           runs
/// params string[]                                         runs
/// [NotCacheKey] parameter named writer                    runs
/// set and dictionary parameters named value / writer      runs
/// key type with members named value, size, writer         runs
/// Task&lt;string?&gt;, ValueTask&lt;string?&gt;, string?, Task&lt;int?&gt; results    runs
/// static extension method                                 runs
/// static class, static method                             runs
/// member named like the key class (__LlmCache_Ask)        runs (the key class takes another name)
/// method named Method                                     runs
/// struct, readonly struct, record struct (instance)       runs (the implementation runs on a copy of this)
/// ref struct, static method                               runs
/// ref struct, instance method                             LLMC0011
/// interface with a default implementation                 runs
/// nested generic types with constraints                   runs
/// containing types named LlmCache, System, global         runs
/// unsafe class, unsafe method                             runs
/// virtual and override partial methods                    runs
/// primary constructor runtime / type parameter named __llm… runs
/// implementation in a base type, parameter named like it  runs (private protected new, static too)
/// tuple and byte[]? results, in CacheControl              runs
/// params IReadOnlyList&lt;string&gt; (params collection)           runs
/// generic type with TValue? and TNumber? results          runs
/// generic method                                          LLMC0009
/// pointer parameter                                       LLMC0010
/// params ReadOnlySpan&lt;string&gt;                                LLMC0010
/// scoped ReadOnlySpan&lt;char&gt; [NotCacheKey]                    LLMC0010
/// method that is not partial                              LLMC0001
/// method in a file-local type (file partial class)        LLMC0012 (+ CS8795: the compiler's own, without the generator)
/// partial method in a non-partial class                   LLMC0002 (+ CS0751, CS8795: the compiler's own, without the generator)
/// </code>
/// </remarks>
public sealed class CompileCorpusTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        """;

    public static TheoryData<string> Shapes => new(Corpus.Keys.OrderBy(k => k, StringComparer.Ordinal));

    private static readonly Dictionary<string, Shape> Corpus = new Shape[]
    {
        Runs("Parameters_named_like_the_key_writers_locals", "a|1|b|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string writer, int size, string value);

                private string AskCore(string writer, int size, string value) { Calls++; return writer + "|" + size + "|" + value; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask("a", 1, "b"); return s.Ask("a", 1, "b") + "|" + s.Calls; }
            }
            """),
        Runs("Parameters_named_like_the_wrappers_locals", "rmwskhvtcx|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial ValueTask<string> AskAsync(string __llmRuntime, string __llmMethod, string __llmWriter, string __llmState, string __llmKey, string __llmHash, string __llmValue, string __llmToken, string __llmControl, string __llmSize);

                private ValueTask<string> AskAsyncCore(string __llmRuntime, string __llmMethod, string __llmWriter, string __llmState, string __llmKey, string __llmHash, string __llmValue, string __llmToken, string __llmControl, string __llmSize)
                {
                    Calls++;
                    return new(__llmRuntime + __llmMethod + __llmWriter + __llmState + __llmKey + __llmHash + __llmValue + __llmToken + __llmControl + __llmSize);
                }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var s = new Service();
                    s.AskAsync("r", "m", "w", "s", "k", "h", "v", "t", "c", "x").AsTask().Wait();
                    return s.AskAsync("r", "m", "w", "s", "k", "h", "v", "t", "c", "x").Result + "|" + s.Calls;
                }
            }
            """),
        Runs("Parameters_named_like_the_key_class_and_the_implementation", "ab|1", """
            public static partial class Service
            {
                public static int Calls;

                [LlmCached]
                public static partial string Ask(string __LlmCache_Ask, string AskCore);

                private static string AskCore(string __LlmCache_Ask, string AskCore) { Calls++; return __LlmCache_Ask + AskCore; }
            }

            public static class Probe
            {
                public static string Run() { Service.Ask("a", "b"); return Service.Ask("a", "b") + "|" + Service.Calls; }
            }
            """),
        Runs("Control_and_token_named_like_generated_locals", "q|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial Task<string> AskAsync(string __llmKey, CacheControl writer = default, CancellationToken __llmToken = default);

                private Task<string> AskAsyncCore(string __llmKey, CancellationToken __llmToken) { Calls++; return Task.FromResult(__llmKey); }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.AskAsync("q").Wait(); return s.AskAsync("q").Result + "|" + s.Calls; }
            }
            """),
        Runs("Parameter_named_like_the_containing_type", "x|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string Service, CancellationToken Probe = default);

                private string AskCore(string Service, CancellationToken Probe) { Calls++; return Service; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask("x"); return s.Ask("x") + "|" + s.Calls; }
            }
            """),
        Runs("Keyword_parameter_names", "c|e|3|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string @class, string @event, int @int);

                private string AskCore(string @class, string @event, int @int) { Calls++; return @class + "|" + @event + "|" + @int; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask("c", "e", 3); return s.Ask("c", "e", 3) + "|" + s.Calls; }
            }
            """),
        Runs("Nullable_reference_key_parameters", "-|-|1", """
            public sealed record Message(string? Role, string Text);

            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string? question, Message? message, IReadOnlyList<string?>? tags);

                private string AskCore(string? question, Message? message, IReadOnlyList<string?>? tags) { Calls++; return (question ?? "-") + "|" + (message?.Role ?? "-"); }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask(null, null, null); return s.Ask(null, null, null) + "|" + s.Calls; }
            }
            """),
        Runs("In_parameters", "3|q|1", """
            public readonly record struct Options(int Count, string Name);

            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial ValueTask<string> AskAsync(in int count, in Options options);

                private ValueTask<string> AskAsyncCore(in int count, in Options options) { Calls++; return new(count + "|" + options.Name); }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.AskAsync(3, new Options(1, "q")); return s.AskAsync(3, new Options(1, "q")).Result + "|" + s.Calls; }
            }
            """),
        Runs("Params_array", "a,b|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Join(params string[] words);

                private string JoinCore(string[] words) { Calls++; return string.Join(",", words); }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Join("a", "b"); return s.Join("a", "b") + "|" + s.Calls; }
            }
            """),
        Runs("Not_a_key_parameter_named_writer", "q|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string question, [NotCacheKey] System.IO.TextWriter writer);

                private string AskCore(string question, System.IO.TextWriter writer) { Calls++; return question; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask("q", System.IO.TextWriter.Null); return s.Ask("q", System.IO.TextWriter.Null) + "|" + s.Calls; }
            }
            """),
        Runs("Set_and_dictionary_parameters_named_value_and_writer", "2|1|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(HashSet<string> value, Dictionary<string, int> writer);

                private string AskCore(HashSet<string> value, Dictionary<string, int> writer) { Calls++; return value.Count + "|" + writer.Count; }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var s = new Service();
                    s.Ask(new HashSet<string> { "a", "b" }, new Dictionary<string, int> { ["x"] = 1 });
                    return s.Ask(new HashSet<string> { "b", "a" }, new Dictionary<string, int> { ["x"] = 1 }) + "|" + s.Calls;
                }
            }
            """),
        Runs("Key_type_with_members_named_like_the_writers_locals", "v|1", """
            public sealed record Input(string value, int size, string writer, string __p0);

            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(Input value);

                private string AskCore(Input value) { Calls++; return value.value; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask(new Input("v", 1, "w", "p")); return s.Ask(new Input("v", 1, "w", "p")) + "|" + s.Calls; }
            }
            """),
        Runs("Nullable_result_types", "q|q|q|1|-|4", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial Task<string?> TaskAsync(string question);

                [LlmCached]
                public partial ValueTask<string?> ValueTaskAsync(string question);

                [LlmCached]
                public partial string? Sync(string question);

                [LlmCached]
                public partial Task<int?> NumberAsync(string question);

                [LlmCached]
                public partial string? Nothing(string question);

                private Task<string?> TaskAsyncCore(string question) { Calls++; return Task.FromResult<string?>(question); }

                private ValueTask<string?> ValueTaskAsyncCore(string question) { Calls++; return new(question); }

                private string? SyncCore(string question) { Calls++; return question; }

                private int? NumberAsyncCore(string question) { Calls++; return question.Length; }

                // A null result is not kept: each call runs it, and none counts towards Calls.
                private string? NothingCore(string question) => null;
            }

            public static class Probe
            {
                public static string Run()
                {
                    var s = new Service();
                    string result = "";
                    for (int i = 0; i < 2; i++)
                    {
                        result = s.TaskAsync("q").Result + "|" + s.ValueTaskAsync("q").Result + "|" + s.Sync("q") + "|" + s.NumberAsync("q").Result + "|" + (s.Nothing("q") ?? "-");
                    }

                    return result + "|" + s.Calls;
                }
            }
            """),
        Runs("Static_extension_method", "A!|1", """
            public static partial class Shouting
            {
                public static int Calls;

                [LlmCached]
                public static partial string Shout(this string text, string mark = "!");

                private static string ShoutCore(string text, string mark) { Calls++; return text.ToUpperInvariant() + mark; }
            }

            public static class Probe
            {
                public static string Run() { "a".Shout(); return "a".Shout() + "|" + Shouting.Calls; }
            }
            """),
        Runs("Member_named_like_the_key_class", "q|1", """
            public partial class Service
            {
                public int Calls;

                private static readonly string __LlmCache_Ask = "taken";

                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) { Calls++; return question + (__LlmCache_Ask.Length == 0 ? "!" : ""); }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask("q"); return s.Ask("q") + "|" + s.Calls; }
            }
            """),
        Runs("Method_named_Method", "q|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Method(string question);

                private string MethodCore(string question) { Calls++; return question; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Method("q"); return s.Method("q") + "|" + s.Calls; }
            }
            """),
        Runs("Struct_instance_methods", "s:q|r:q|d:q|3", """
            public static class Counter
            {
                public static int Calls;
            }

            public partial struct Plain
            {
                public string Prefix;

                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) { Counter.Calls++; return Prefix + question; }
            }

            public readonly partial struct Frozen
            {
                public Frozen(string prefix) => Prefix = prefix;

                public string Prefix { get; }

                [LlmCached]
                public partial ValueTask<string> AskAsync(string question);

                private ValueTask<string> AskAsyncCore(string question) => new(Prefix + question + (++Counter.Calls > 0 ? "" : ""));
            }

            public partial record struct Data(string Prefix)
            {
                [LlmCached]
                public partial Task<string> AskAsync(string question);

                private Task<string> AskAsyncCore(string question) { Counter.Calls++; return Task.FromResult(Prefix + question); }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var plain = new Plain { Prefix = "s:" };
                    var frozen = new Frozen("r:");
                    var data = new Data("d:");
                    plain.Ask("q");
                    frozen.AskAsync("q").AsTask().Wait();
                    data.AskAsync("q").Wait();
                    return plain.Ask("q") + "|" + frozen.AskAsync("q").Result + "|" + data.AskAsync("q").Result + "|" + Counter.Calls;
                }
            }
            """),
        Runs("Ref_struct_static_method", "q|1", """
            public ref partial struct Scratch
            {
                public static int Calls;

                [LlmCached]
                public static partial string Ask(string question);

                private static string AskCore(string question) { Calls++; return question; }
            }

            public static class Probe
            {
                public static string Run() { Scratch.Ask("q"); return Scratch.Ask("q") + "|" + Scratch.Calls; }
            }
            """),
        Runs("Interface_with_a_default_implementation", "q|1", """
            public partial interface IAsker
            {
                int Calls { get; set; }

                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) { Calls++; return question; }
            }

            public sealed class Asker : IAsker
            {
                public int Calls { get; set; }
            }

            public static class Probe
            {
                public static string Run() { IAsker a = new Asker(); a.Ask("q"); return a.Ask("q") + "|" + a.Calls; }
            }
            """),
        Runs("Nested_generic_types_with_constraints", "System.String/System.Int32:q|1", """
            public partial class Outer<T>
                where T : class
            {
                public partial class Inner<U>
                    where U : struct, IComparable<U>
                {
                    public static int Calls;

                    [LlmCached]
                    public partial string Ask(string question);

                    private string AskCore(string question) { Calls++; return typeof(T) + "/" + typeof(U) + ":" + question; }
                }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var inner = new Outer<string>.Inner<int>();
                    inner.Ask("q");
                    return inner.Ask("q") + "|" + Outer<string>.Inner<int>.Calls;
                }
            }
            """),
        Runs("Containing_types_named_LlmCache_System_and_global", "q|q|q|3", """
            public static class Counter
            {
                public static int Calls;
            }

            public partial class LlmCache
            {
                [global::LlmCache.LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) { Counter.Calls++; return question; }
            }

            public partial class System
            {
                [LlmCached]
                public partial global::System.Threading.Tasks.Task<string> AskAsync(string question, global::System.Threading.CancellationToken ct = default);

                private global::System.Threading.Tasks.Task<string> AskAsyncCore(string question, global::System.Threading.CancellationToken ct) { Counter.Calls++; return global::System.Threading.Tasks.Task.FromResult(question); }
            }

            public partial class @global
            {
                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) { Counter.Calls++; return question; }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var a = new LlmCache();
                    var b = new System();
                    var c = new @global();
                    a.Ask("q");
                    b.AskAsync("q").Wait();
                    c.Ask("q");
                    return a.Ask("q") + "|" + b.AskAsync("q").Result + "|" + c.Ask("q") + "|" + Counter.Calls;
                }
            }
            """),
        Runs("Unsafe_class_and_method", "q|4|2", """
            public unsafe partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string question);

                [LlmCached]
                public unsafe partial int Size(int count);

                private string AskCore(string question) { Calls++; return question; }

                private int SizeCore(int count) { Calls++; return sizeof(int) * count; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Ask("q"); s.Size(1); return s.Ask("q") + "|" + s.Size(1) + "|" + s.Calls; }
            }
            """),
        Runs("Virtual_and_override_partial_methods", "derived:q|1", """
            public abstract class Base
            {
                public int Calls;

                public abstract string Ask(string question);
            }

            public partial class Derived : Base
            {
                [LlmCached]
                public override partial string Ask(string question);

                [LlmCached]
                public virtual partial string Other(string question);

                private string AskCore(string question) { Calls++; return "derived:" + question; }

                private string OtherCore(string question) => question;
            }

            public static class Probe
            {
                public static string Run() { Base b = new Derived(); b.Ask("q"); return b.Ask("q") + "|" + b.Calls; }
            }
            """),
        Runs("Primary_constructor_runtime_and_type_parameter_named_like_generated_locals", "q|1", """
            public partial class Service<__llmKey>(LlmCacheRuntime __llmRuntime)
            {
                public int Calls;

                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) { Calls++; return question; }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service<int>(new LlmCacheRuntime()); s.Ask("q"); return s.Ask("q") + "|" + s.Calls; }
            }
            """),
        Runs("Implementation_in_a_base_type_and_a_parameter_named_like_it", "q|1", """
            public class Base
            {
                public static int Calls;

                protected string AskCore(string AskCore) { Calls++; return AskCore; }

                protected static string StaticCore(string StaticCore) { Calls++; return StaticCore; }

                private protected string Ask(string question) => "hidden";
            }

            public partial class Derived : Base
            {
                [LlmCached]
                private protected new partial string Ask(string AskCore);

                [LlmCached(Implementation = "StaticCore")]
                public static partial string Static(string StaticCore);

                public string Call(string question) => Ask(question);
            }

            public static class Probe
            {
                public static string Run() { var d = new Derived(); d.Call("q"); Derived.Static("s"); Derived.Static("s"); return d.Call("q") + "|" + (Base.Calls - 1); }
            }
            """),
        Runs("Tuple_and_nullable_array_results_with_an_in_CacheControl", "q:1|3|2", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial (string Text, int Tokens) Ask(string question, in CacheControl cache);

                [LlmCached]
                public partial ValueTask<byte[]?> BytesAsync(string question);

                private (string Text, int Tokens) AskCore(string question) { Calls++; return (question, 1); }

                private byte[]? BytesAsyncCore(string question) { Calls++; return new byte[] { 1, 2, 3 }; }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var s = new Service();
                    s.Ask("q", default);
                    s.BytesAsync("q").AsTask().Wait();
                    (string text, int tokens) = s.Ask("q", default);
                    return text + ":" + tokens + "|" + s.BytesAsync("q").Result!.Length + "|" + s.Calls;
                }
            }
            """),
        Fails("File_local_type", new[] { "LLMC0012" }, """
            file partial class Service
            {
                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) => question;
            }
            """),
        Runs("Params_collection", "a,b|1", """
            public partial class Service
            {
                public int Calls;

                [LlmCached]
                public partial string Join(params IReadOnlyList<string> words);

                private string JoinCore(IReadOnlyList<string> words) { Calls++; return string.Join(",", words); }
            }

            public static class Probe
            {
                public static string Run() { var s = new Service(); s.Join("a", "b"); return s.Join("a", "b") + "|" + s.Calls; }
            }
            """),
        Runs("Generic_type_with_nullable_type_parameter_results", "q|5|2", """
            public partial class Store<TValue, TNumber>
                where TValue : class
                where TNumber : struct
            {
                public static int Calls;

                [LlmCached]
                public partial Task<TValue?> FindAsync(string key);

                [LlmCached]
                public partial TNumber? Count(string key);

                private TValue? FindAsyncCore(string key) { Calls++; return key as TValue; }

                private TNumber? CountCore(string key) { Calls++; return default(TNumber); }
            }

            public static class Probe
            {
                public static string Run()
                {
                    var s = new Store<string, int>();
                    s.FindAsync("q").Wait();
                    s.Count("q");
                    return s.FindAsync("q").Result + "|" + (s.Count("q") + 5) + "|" + Store<string, int>.Calls;
                }
            }
            """),
        Fails("Generic_method", new[] { "LLMC0009" }, """
            public partial class Service
            {
                [LlmCached]
                public partial string Ask<T>(string question)
                    where T : notnull;

                private string AskCore<T>(string question) => question;
            }
            """),
        Fails("Pointer_parameter", new[] { "LLMC0010" }, """
            public unsafe partial class Service
            {
                [LlmCached]
                public partial string Ask(int* value);

                private string AskCore(int* value) => "";
            }
            """),
        Fails("Params_span", new[] { "LLMC0010" }, """
            public partial class Service
            {
                [LlmCached]
                public partial string Join(params ReadOnlySpan<string> words);

                private string JoinCore(ReadOnlySpan<string> words) => string.Join(",", words.ToArray());
            }
            """),
        Fails("Scoped_span_not_in_the_key", new[] { "LLMC0010" }, """
            public partial class Service
            {
                [LlmCached]
                public partial string Ask(string question, [NotCacheKey] scoped ReadOnlySpan<char> scratch);

                private string AskCore(string question, scoped ReadOnlySpan<char> scratch) => question;
            }
            """),
        Fails("Ref_struct_instance_method", new[] { "LLMC0011" }, """
            public ref partial struct Scratch
            {
                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) => question;
            }
            """),
        Fails("Method_that_is_not_partial", new[] { "LLMC0001" }, """
            public partial class Service
            {
                [LlmCached]
                public string Ask(string question) => question;
            }
            """),
        Fails("Partial_method_in_a_non_partial_class", new[] { "LLMC0002" }, """
            public class Service
            {
                [LlmCached]
                public partial string Ask(string question);

                private string AskCore(string question) => question;
            }
            """),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_legal_shape_compiles_clean_or_gets_only_its_LLMC_error(string name)
    {
        Shape shape = Corpus[name];
        string source = Usings + "namespace Corpus." + name + ";\n\n" + shape.Source;
        CSharpCompilation userCode = Strict(GeneratorHarness.CreateCompilation(source));

        // What the compiler reports for the user's code alone: the generator may take CS8795 away, never add.
        string[] inherent = Problems(userCode).ToArray();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(userCode, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        string[] compiler = Problems(output).ToArray();
        string generated = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));
        string[] llmc = generatorDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();

        Assert.True(compiler.SequenceEqual(shape.CompilerErrors), $"compiler: {string.Join(", ", DescribeProblems(output))}\n{generated}");
        Assert.Subset(inherent.ToHashSet(), compiler.ToHashSet());
        Assert.Equal(shape.ExpectedErrors, llmc);
        if (shape.ExpectedErrors.Length == 0)
        {
            Assert.Equal(shape.Expected, Run(output));
        }
    }

    [Theory]
    [InlineData("Partial_method_in_a_non_partial_class", new[] { "CS0751", "CS8795" })]
    [InlineData("File_local_type", new[] { "CS8795" })]
    public void The_compiler_alone_reports_the_CS_errors_left_beside_an_LLMC_error(string name, string[] expected)
    {
        CSharpCompilation userCode = Strict(GeneratorHarness.CreateCompilation(Usings + Corpus[name].Source));

        Assert.Equal(expected, Problems(userCode));
    }

    private static Shape Runs(string name, string expected, string source) => new(name, source, expected, Array.Empty<string>(), Array.Empty<string>());

    private static Shape Fails(string name, string[] errors, string source) => new(name, source, null, errors, name switch
    {
        "Partial_method_in_a_non_partial_class" => new[] { "CS0751", "CS8795" },
        "File_local_type" => new[] { "CS8795" },
        _ => Array.Empty<string>(),
    });

    // Every warning wave, as a new project's AnalysisLevel turns them on.
    private static CSharpCompilation Strict(CSharpCompilation compilation) => compilation.WithOptions(compilation.Options.WithWarningLevel(9999));

    private static IEnumerable<string> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);

    private static IEnumerable<string> DescribeProblems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString());

    private static string Run(Compilation compilation)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("corpus", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            Type probe = assembly.GetTypes().Single(t => t.Name == "Probe");
            return (string)probe.GetMethod("Run")!.Invoke(null, null)!;
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed record Shape(string Name, string Source, string? Expected, string[] ExpectedErrors, string[] CompilerErrors);
}
