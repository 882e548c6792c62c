using System.Text.RegularExpressions;

namespace LlmCache.Generators.Tests;

/// <summary>
/// The key-shape fingerprint in the method identity: a change to what the key bytes mean (a member renamed, an
/// enum member inserted, two parameters of one type swapped) starts a new keyspace; an edit that leaves the
/// key's meaning alone keeps it, so stored entries stay reachable.
/// </summary>
public sealed partial class FingerprintTests
{
    private const string Original = """
        using System.Collections.Generic;
        using LlmCache;

        namespace Demo;

        public enum Tone { Plain, Formal }

        public sealed record Turn(string Role, string Text);

        public record Request(string Question, Tone Tone, IReadOnlyList<Turn> Turns);

        public partial class Assistant
        {
            [LlmCached]
            public partial string Ask(Request request, string model, string user);

            private string AskCore(Request request, string model, string user) => model;
        }
        """;

    [Theory]
    [InlineData("a member renamed", "string Question,", "string Prompt,")]
    [InlineData("a nested member renamed", "Turn(string Role, string Text)", "Turn(string Role, string Content)")]
    [InlineData("a member's type changed", "Turn(string Role, string Text)", "Turn(string Role, string[] Text)")]
    [InlineData("an enum member inserted", "Tone { Plain, Formal }", "Tone { Plain, Casual, Formal }")]
    [InlineData("an enum value changed", "Tone { Plain, Formal }", "Tone { Plain, Formal = 5 }")]
    [InlineData("two parameters of the same type swapped", "string model, string user)", "string user, string model)")]
    [InlineData("a member left out of the key", "string Question,", "[property: NotCacheKey] string Question,")]
    public void A_change_to_the_key_shape_changes_the_identity(string change, string find, string replace)
    {
        string changed = Original.Replace(find, replace, System.StringComparison.Ordinal);
        Assert.NotEqual(Original, changed);

        string before = Identity(Original);
        string after = Identity(changed);

        Assert.NotEqual(before, after);
        Assert.True(WithoutFingerprint(before) == WithoutFingerprint(after), $"{change}: only the fingerprint should differ, {before} vs {after}");
    }

    [Theory]
    [InlineData("a comment", "public partial class Assistant", "// Answers questions.\npublic partial class Assistant")]
    [InlineData("an unrelated method", "private string AskCore", "public int Unrelated(int x) => x * 2;\n\n    private string AskCore")]
    [InlineData("a new implementation body", "=> model;", "=> user + model;")]
    [InlineData("an unrelated type", "public enum Tone", "public sealed record Other(int Changed);\n\npublic enum Tone")]
    [InlineData("enum members declared in another order with their values", "Tone { Plain, Formal }", "Tone { Formal = 1, Plain = 0 }")]
    [InlineData("members declared in another order", "Turn(string Role, string Text)", "Turn(string Text, string Role)")]
    [InlineData("a nullable annotation", "string Question,", "string? Question,")]
    [InlineData("a record sealed", "public record Request", "public sealed record Request")]
    public void An_edit_that_leaves_the_key_shape_alone_keeps_the_identity(string edit, string find, string replace)
    {
        string edited = Original.Replace(find, replace, System.StringComparison.Ordinal);
        Assert.NotEqual(Original, edited);

        Assert.True(Identity(Original) == Identity(edited), edit);
    }

    [Fact]
    public void The_fingerprint_is_a_short_hex_after_the_key_version()
    {
        Assert.Matches(@"^Demo\.Assistant\.Ask\(Demo\.Request,string,string\)->string#v0#k[0-9a-f]{16}$", Identity(Original));
    }

    private static string Identity(string source)
    {
        GeneratorResult result = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationProblems);
        Match identity = IdentityLiteral().Match(result.GeneratedSource("Demo.Assistant.Ask.g.cs"));
        Assert.True(identity.Success);
        return identity.Groups[1].Value;
    }

    private static string WithoutFingerprint(string identity) => identity.Substring(0, identity.LastIndexOf("#k", System.StringComparison.Ordinal));

    [GeneratedRegex("""new global::LlmCache\.CachedMethod<string>\(\s*"([^"]*)",""")]
    private static partial Regex IdentityLiteral();
}
