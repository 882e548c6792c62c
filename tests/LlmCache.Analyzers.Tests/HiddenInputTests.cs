using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = LlmCache.Analyzers.Tests.AnalyzerVerifier<LlmCache.Analyzers.HiddenInputAnalyzer>;

namespace LlmCache.Analyzers.Tests;

public sealed class HiddenInputTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        public interface IChatClient { Task<string> CompleteAsync(string model, string prompt, double temperature, CancellationToken ct); }

        """;

    private static DiagnosticResult Hidden(int location, string implementation, string cached, string kind, string member) =>
        Verify.Diagnostic(DiagnosticDescriptors.HiddenInputId).WithLocation(location).WithArguments(implementation, cached, kind, member);

    [Fact]
    public Task Flags_a_mutable_field_and_a_settable_property_read_by_the_implementation() =>
        Verify.VerifyAsync(Usings + """
            public partial class Assistant(IChatClient chat)
            {
                private string _model = "gpt-4o";
                public double Temperature { get; set; } = 0.2;

                [LlmCached]
                public partial Task<string> AskAsync(string prompt, CancellationToken ct = default);

                private Task<string> AskAsyncCore(string prompt, CancellationToken ct) =>
                    chat.CompleteAsync({|#0:_model|}, prompt, {|#1:Temperature|}, ct);

                public void UseModel(string model) => _model = model;
            }
            """,
            Hidden(0, "AskAsyncCore", "AskAsync", "field", "_model"),
            Hidden(1, "AskAsyncCore", "AskAsync", "property", "Temperature"));

    [Fact]
    public Task Follows_the_attribute_Implementation_name_and_reports_each_member_once_at_its_first_read() =>
        Verify.VerifyAsync(Usings + """
            public partial class Assistant
            {
                private static string s_systemPrompt = "Be brief.";
                public string Model { get; private set; } = "m";

                [LlmCached(Implementation = nameof(CallModel))]
                public partial string Ask(string prompt);

                private string CallModel(string prompt)
                {
                    string first = {|#0:this.Model|} + {|#1:s_systemPrompt|};
                    Func<string> later = () => Model + s_systemPrompt;
                    return first + later() + prompt;
                }

                private string AskCore(string prompt) => Model;
            }
            """,
            Hidden(0, "CallModel", "Ask", "property", "Model"),
            Hidden(1, "CallModel", "Ask", "field", "s_systemPrompt"));

    [Fact]
    public Task Flags_state_inherited_from_a_base_class() =>
        Verify.VerifyAsync(Usings + """
            public abstract class AssistantBase { protected string SystemPrompt = "Be brief."; }

            public partial class Assistant : AssistantBase
            {
                [LlmCached]
                public partial string Ask(string prompt);

                private string AskCore(string prompt) => {|#0:SystemPrompt|} + prompt;
            }
            """,
            Hidden(0, "AskCore", "Ask", "field", "SystemPrompt"));

    [Fact]
    public Task Ignores_readonly_fields_get_only_and_init_only_properties_constants_and_injected_services() =>
        Verify.VerifyAsync(Usings + """
            public partial class Assistant(IChatClient chat)
            {
                private const string SystemPrompt = "Be brief.";
                private readonly IChatClient _fallback = chat;
                private readonly string _model = "gpt-4o";
                public double Temperature { get; } = 0.2;
                public string Region { get; init; } = "eu";
                public string Tag => _model + Region;

                [LlmCached]
                public partial Task<string> AskAsync(string prompt, CancellationToken ct = default);

                private Task<string> AskAsyncCore(string prompt, CancellationToken ct) =>
                    (prompt.Length > 0 ? chat : _fallback).CompleteAsync(_model + Tag, SystemPrompt + prompt, Temperature, ct);
            }
            """);

    [Fact]
    public Task Ignores_writes_and_state_read_by_methods_that_are_not_implementations() =>
        Verify.VerifyAsync(Usings + """
            public partial class Assistant
            {
                private int _calls;
                private string _last = "";
                public string Model { get; set; } = "m";

                [LlmCached]
                public partial string Ask(string prompt);

                private string AskCore(string prompt)
                {
                    _last = prompt;
                    return prompt.ToUpperInvariant();
                }

                public string Describe() => Model + _calls + _last;
                public string Ask(string prompt, int retries) => Model;
            }
            """);

    [Fact]
    public Task Ignores_counters_the_implementation_only_updates() =>
        Verify.VerifyAsync(Usings + """
            public partial class Assistant
            {
                private int _calls;
                private long _total;
                private int _seen;
                private int _left = 10;
                private static int s_started;
                public int Calls { get; private set; }

                [LlmCached]
                public partial string Ask(string prompt);

                private string AskCore(string prompt)
                {
                    Calls++;
                    ++_seen;
                    _left--;
                    _calls += 1;
                    Interlocked.Increment(ref s_started);
                    _ = Interlocked.Add(ref _total, prompt.Length);
                    _seen = _seen + 1;
                    this._calls = (this._calls + 1);
                    for (int i = 0; i < 2; i++, _calls++)
                    {
                    }

                    return prompt.ToUpperInvariant();
                }
            }
            """);

    [Fact]
    public Task Flags_a_counter_whose_value_reaches_the_result() =>
        Verify.VerifyAsync(Usings + """
            public partial class Assistant
            {
                private int _calls;
                private int _turn;
                private int _seen;
                public int Calls { get; private set; }

                [LlmCached]
                public partial string Ask(string prompt);

                private string AskCore(string prompt)
                {
                    Calls++;
                    _seen = _seen + 1;
                    int turn = {|#0:_turn|}++;
                    string id = Interlocked.Increment(ref {|#1:_calls|}).ToString();
                    return prompt + turn + id + {|#2:Calls|} + ({|#3:_seen|} += 2);
                }
            }
            """,
            Hidden(0, "AskCore", "Ask", "field", "_turn"),
            Hidden(1, "AskCore", "Ask", "field", "_calls"),
            Hidden(2, "AskCore", "Ask", "property", "Calls"),
            Hidden(3, "AskCore", "Ask", "field", "_seen"));

    [Fact]
    public Task Ignores_mutable_state_of_other_objects_and_of_other_types() =>
        Verify.VerifyAsync(Usings + """
            public sealed class Settings { public string Model { get; set; } = "m"; public static string Region = "eu"; }

            public partial class Assistant
            {
                private readonly Settings _settings = new();
                private string _name = "";

                [LlmCached]
                public partial string Ask(string prompt, Assistant other);

                private string AskCore(string prompt, Assistant other) => _settings.Model + Settings.Region + other._name;
            }
            """);
}
