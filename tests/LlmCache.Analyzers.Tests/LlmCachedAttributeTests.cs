using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = LlmCache.Analyzers.Tests.AnalyzerVerifier<LlmCache.Analyzers.LlmCachedAttributeAnalyzer>;

namespace LlmCache.Analyzers.Tests;

public sealed class LlmCachedAttributeTests
{
    private static Task VerifyAsync(string attributeArguments, params DiagnosticResult[] expected) =>
        Verify.VerifyAsync($$"""
            using LlmCache;

            public partial class Assistant
            {
                [LlmCached({{attributeArguments}})]
                public partial string Ask(string prompt);

                private string AskCore(string prompt) => prompt;
                private string CallModel(string prompt) => prompt;
            }
            """, expected);

    private static DiagnosticResult Expected(string id, params object[] arguments) =>
        Verify.Diagnostic(id).WithLocation(0).WithArguments(arguments);

    [Theory]
    [InlineData("-1", -1)]
    [InlineData("-3600", -3600)]
    [InlineData("int.MinValue", int.MinValue)]
    public Task Flags_a_negative_ttl(string ttl, int value) =>
        VerifyAsync($"Ttl = {{|#0:{ttl}|}}", Expected(DiagnosticDescriptors.NegativeTtlId, value));

    [Fact]
    public Task Flags_a_negative_key_version() =>
        VerifyAsync("KeyVersion = {|#0:-2|}", Expected(DiagnosticDescriptors.NegativeKeyVersionId, -2));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is blank")]
    [InlineData("tenant:a", "contains ':', the separator of keys stored outside the process")]
    public Task Flags_an_invalid_namespace(string name, string problem) =>
        VerifyAsync($"Namespace = {{|#0:\"{name}\"|}}", Expected(DiagnosticDescriptors.InvalidNamespaceId, name, problem));

    [Fact]
    public Task Flags_an_undefined_cache_type() =>
        VerifyAsync("Type = {|#0:(CacheType)42|}",
            Expected(DiagnosticDescriptors.UndefinedCacheTypeId, 42, "Default, Memory, Disk, Redis, Dual, S3, Custom, AzureBlob, Semantic, RedisSemantic, DualSemantic"));

    [Theory]
    [InlineData("\"\"", "", "is empty")]
    [InlineData("\"Call Model\"", "Call Model", "is not a C# identifier")]
    [InlineData("\"AskCore()\"", "AskCore()", "is not a C# identifier")]
    [InlineData("nameof(Ask)", "Ask", "names the cached method itself, so every miss would call itself")]
    public Task Flags_an_implementation_name_that_cannot_name_an_implementation(string expression, string name, string problem) =>
        VerifyAsync($"Implementation = {{|#0:{expression}|}}", Expected(DiagnosticDescriptors.InvalidImplementationNameId, name, problem, "AskCore"));

    [Fact]
    public Task Reports_every_wrong_argument_of_one_attribute() =>
        VerifyAsync("Ttl = {|#0:-1|}, KeyVersion = {|#1:-1|}, Namespace = {|#2:\"a:b\"|}",
            Verify.Diagnostic(DiagnosticDescriptors.NegativeTtlId).WithLocation(0).WithArguments(-1),
            Verify.Diagnostic(DiagnosticDescriptors.NegativeKeyVersionId).WithLocation(1).WithArguments(-1),
            Verify.Diagnostic(DiagnosticDescriptors.InvalidNamespaceId).WithLocation(2).WithArguments("a:b", "contains ':', the separator of keys stored outside the process"));

    [Theory]
    [InlineData("")]
    [InlineData("Ttl = 0")]
    [InlineData("Ttl = 600, KeyVersion = 0")]
    [InlineData("KeyVersion = 3")]
    [InlineData("Namespace = \"tenant-a.prod\"")]
    [InlineData("Namespace = null")]
    [InlineData("Type = CacheType.Dual")]
    [InlineData("Type = (CacheType)6")]
    [InlineData("Implementation = nameof(CallModel)")]
    [InlineData("Implementation = \"AskCore\"")]
    [InlineData("Implementation = null")]
    public Task Ignores_arguments_in_range(string arguments) => VerifyAsync(arguments);

    [Fact]
    public Task Leaves_an_implementation_name_that_names_no_method_to_the_generator() =>
        VerifyAsync("Implementation = \"Missing\"");
}
