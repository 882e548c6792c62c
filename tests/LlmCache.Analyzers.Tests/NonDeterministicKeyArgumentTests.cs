using System.Threading.Tasks;
using Verify = LlmCache.Analyzers.Tests.AnalyzerVerifier<LlmCache.Analyzers.NonDeterministicKeyArgumentAnalyzer>;

namespace LlmCache.Analyzers.Tests;

public sealed class NonDeterministicKeyArgumentTests
{
    private const string Assistant = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        public partial class Assistant
        {
            [LlmCached]
            public partial ValueTask<string> AskAsync(string prompt, [NotCacheKey] string requestId = "", CacheControl cache = default, CancellationToken ct = default);

            [LlmCached]
            public partial string Summarize(params object[] parts);

            [LlmCached]
            public partial string Seeded(int seed, long ticks = 0);

            private ValueTask<string> AskAsyncCore(string prompt, string requestId, CancellationToken ct) => new(prompt);
            private string SummarizeCore(params object[] parts) => "";
            private string SeededCore(int seed, long ticks) => "";
            public string Plain(string prompt) => prompt;
        }

        """;

    private static Task VerifyAsync(string body, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        Verify.VerifyAsync(Assistant + "public static class Caller\n{\n    public static async Task Run(Assistant a)\n    {\n" + body + "\n    }\n}\n", expected);

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Expected(int location, string parameter, string method, string source) =>
        Verify.Diagnostic(DiagnosticDescriptors.NonDeterministicKeyArgumentId).WithLocation(location).WithArguments(parameter, method, source);

    [Theory]
    [InlineData("DateTime.Now.ToString()", "DateTime.Now")]
    [InlineData("DateTime.UtcNow.ToString(\"o\")", "DateTime.UtcNow")]
    [InlineData("DateTime.Today.ToString()", "DateTime.Today")]
    [InlineData("DateTimeOffset.Now.ToString()", "DateTimeOffset.Now")]
    [InlineData("DateTimeOffset.UtcNow.ToString()", "DateTimeOffset.UtcNow")]
    [InlineData("Guid.NewGuid().ToString()", "Guid.NewGuid()")]
    [InlineData("Environment.TickCount.ToString()", "Environment.TickCount")]
    [InlineData("Environment.TickCount64.ToString()", "Environment.TickCount64")]
    [InlineData("System.Diagnostics.Stopwatch.GetTimestamp().ToString()", "Stopwatch.GetTimestamp()")]
    [InlineData("Random.Shared.Next().ToString()", "Random.Next()")]
    [InlineData("new Random(1).NextDouble().ToString()", "Random.NextDouble()")]
    [InlineData("System.Security.Cryptography.RandomNumberGenerator.GetHexString(8)", "RandomNumberGenerator.GetHexString()")]
    public Task Flags_each_non_deterministic_source(string argument, string source) =>
        VerifyAsync($"await a.AskAsync({{|#0:{argument}|}});", Expected(0, "prompt", "Assistant.AskAsync", source));

    [Fact]
    public Task Flags_new_object_in_a_params_array() =>
        VerifyAsync("a.Summarize(\"x\", {|#0:new object()|});", Expected(0, "parts", "Assistant.Summarize", "new object()"));

    [Fact]
    public Task Flags_a_value_passed_to_a_numeric_key_parameter() =>
        VerifyAsync("a.Seeded({|#0:Random.Shared.Next()|}, {|#1:DateTime.Now.Ticks|});",
            Expected(0, "seed", "Assistant.Seeded", "Random.Next()"),
            Expected(1, "ticks", "Assistant.Seeded", "DateTime.Now"));

    [Fact]
    public Task Flags_a_local_assigned_from_a_non_deterministic_value() =>
        VerifyAsync("""
                    var now = DateTime.UtcNow;
                    string stamp;
                    stamp = now.ToString("o");
                    await a.AskAsync({|#0:stamp|});
            """,
            Expected(0, "prompt", "Assistant.AskAsync", "local 'stamp' (assigned from local 'now' (assigned from DateTime.UtcNow))"));

    [Fact]
    public Task Flags_interpolation_and_concatenation() =>
        VerifyAsync("""
                    await a.AskAsync({|#0:$"What happened on {DateTime.Today:d}?"|});
                    await a.AskAsync({|#1:"id " + Guid.NewGuid()|});
                    await a.AskAsync({|#2:string.Concat("at ", Environment.TickCount)|}, ct: CancellationToken.None);
            """,
            Expected(0, "prompt", "Assistant.AskAsync", "DateTime.Today"),
            Expected(1, "prompt", "Assistant.AskAsync", "Guid.NewGuid()"),
            Expected(2, "prompt", "Assistant.AskAsync", "Environment.TickCount"));

    [Fact]
    public Task Flags_a_named_argument_in_any_position() =>
        VerifyAsync("await a.AskAsync(requestId: \"r\", prompt: {|#0:Guid.NewGuid().ToString()|});", Expected(0, "prompt", "Assistant.AskAsync", "Guid.NewGuid()"));

    [Fact]
    public Task Ignores_a_non_deterministic_value_passed_to_a_NotCacheKey_parameter() =>
        VerifyAsync("await a.AskAsync(\"hello\", DateTime.Now.ToString(\"o\"));");

    [Fact]
    public Task Ignores_CacheControl_and_CancellationToken_arguments_built_from_the_clock() =>
        VerifyAsync("""
                    using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200)));
                    await a.AskAsync("hello", cache: new CacheControl { Namespace = DateTime.Now.ToString() }, ct: cts.Token);
            """);

    [Fact]
    public Task Ignores_the_same_value_passed_to_a_method_that_is_not_cached() =>
        VerifyAsync("a.Plain(DateTime.Now.ToString()); a.Plain(Guid.NewGuid().ToString());");

    [Fact]
    public Task Ignores_deterministic_values_of_the_same_types() =>
        VerifyAsync("""
                    var day = new DateTime(2024, 1, 2);
                    await a.AskAsync(day.ToString("o"));
                    await a.AskAsync(Guid.Empty.ToString());
                    await a.AskAsync(DateTime.MinValue.ToString() + "!");
                    a.Seeded(new Random(1).GetHashCode() == 0 ? 1 : 2);
                    a.Summarize("x", new Version(1, 2));
            """);

    [Fact]
    public Task Ignores_a_local_reassigned_from_a_deterministic_value_in_another_method() =>
        VerifyAsync("""
                    string prompt = "fixed";
                    Func<string> later = () => DateTime.Now.ToString();
                    await a.AskAsync(prompt);
            """);
}
