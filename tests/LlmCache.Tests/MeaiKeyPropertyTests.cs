using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// Over generated chat requests: equal requests give equal keys and unequal ones unequal keys. A request is
/// generated as plain data and built into fresh MEAI objects each time it is keyed; its description, with the
/// tool call ids numbered by first appearance (what the key promises), says when two requests are equal.
/// </summary>
public sealed class MeaiKeyPropertyTests
{
    private sealed record ContentSpec(int Kind, string Text, int CallRef, int Argument);

    private sealed record MessageSpec(string Role, string? Author, ContentSpec[] Contents);

    private sealed record ToolSpec(string Name, string Description, string Property);

    private sealed record OptionsSpec(string? Model, float? Temperature, ToolSpec[]? Tools, int Mode, int? Extra, string[]? Stops);

    private sealed record RequestSpec(MessageSpec[] Messages, OptionsSpec? Options);

    private static readonly Gen<ContentSpec> Content =
        Gen.Select(Gen.Int[0, 4], Gen.OneOfConst("", "a", "b"), Gen.Int[0, 2], Gen.Int[0, 1], (k, t, r, a) => new ContentSpec(k, t, r, a));

    private static readonly Gen<MessageSpec> Message =
        Gen.Select(Gen.OneOfConst("user", "assistant", "tool"), Gen.OneOfConst<string?>(null, "ann"), Content.Array[0, 3], (r, a, c) => new MessageSpec(r, a, c));

    private static readonly Gen<ToolSpec> Tool =
        Gen.Select(Gen.OneOfConst("f", "g"), Gen.OneOfConst("d1", "d2"), Gen.OneOfConst("a", "b"), (n, d, p) => new ToolSpec(n, d, p));

    private static readonly Gen<OptionsSpec?> Options =
        Gen.Select(
            Gen.OneOfConst<string?>(null, "m1", "m2"),
            Gen.OneOfConst<float?>(null, 0f, 0.5f),
            Tool.Array[0, 2].Null(0.3),
            Gen.Int[0, 3],
            Gen.OneOfConst<int?>(null, 1, 2),
            Gen.OneOfConst("x", "y").Array[0, 1].Null(0.5),
            (m, t, tools, mode, e, s) => new OptionsSpec(m, t, tools, mode, e, s)).Null(0.2);

    private static readonly Gen<RequestSpec> Request =
        Gen.Select(Message.Array[0, 3], Options, (m, o) => new RequestSpec(m, o));

    [Fact]
    public void Equal_requests_give_equal_keys_and_unequal_requests_give_unequal_keys()
    {
        Gen.Select(Request, Request).Sample(
            (a, b) => (Describe(a) == Describe(b)) == Key(a).AsSpan().SequenceEqual(Key(b)),
            iter: 5_000,
            print: pair => $"{Describe(pair.Item1)} vs {Describe(pair.Item2)}");
    }

    [Fact]
    public void Requests_differing_only_in_which_call_a_result_answers_give_keys_as_their_numbering_says()
    {
        // Random pairs rarely differ in call ids alone; here the second request re-points one call id.
        Gen.Select(Request, Gen.Int[0, 8], Gen.Int[0, 2]).Sample(
            (a, position, callRef) =>
            {
                RequestSpec b = Repoint(a, position, callRef);
                return (Describe(a) == Describe(b)) == Key(a).AsSpan().SequenceEqual(Key(b));
            },
            iter: 3_000,
            print: t => $"{Describe(t.Item1)} vs {Describe(Repoint(t.Item1, t.Item2, t.Item3))}");
    }

    private static RequestSpec Repoint(RequestSpec spec, int position, int callRef)
    {
        int seen = 0;
        MessageSpec[] messages = spec.Messages
            .Select(m => m with { Contents = m.Contents.Select(c => c.Kind >= 3 && seen++ == position ? c with { CallRef = callRef } : c).ToArray() })
            .ToArray();
        return spec with { Messages = messages };
    }

    [Fact]
    public void A_request_built_twice_gives_the_same_key()
    {
        Request.Sample(request => Key(request).AsSpan().SequenceEqual(Key(request)), iter: 2_000, print: Describe);
    }

    private static byte[] Key(RequestSpec spec) => MeaiKeyTests.KeyOf(spec.Messages.Select(Build).ToList(), Build(spec.Options));

    private static ChatMessage Build(MessageSpec spec) =>
        new(new ChatRole(spec.Role), spec.Contents.Select(Build).ToList()) { AuthorName = spec.Author };

    private static AIContent Build(ContentSpec spec) => spec.Kind switch
    {
        0 => new TextContent(spec.Text),
        1 => new TextReasoningContent(spec.Text),
        2 => new DataContent(Encoding.UTF8.GetBytes(spec.Text), "image/png"),
        3 => new FunctionCallContent("provider_" + spec.CallRef, "fn" + spec.Text, new Dictionary<string, object?> { ["x"] = spec.Argument }),
        _ => new FunctionResultContent("provider_" + spec.CallRef, spec.Text),
    };

    private static ChatOptions? Build(OptionsSpec? spec)
    {
        if (spec is null)
        {
            return null;
        }

        var options = new ChatOptions
        {
            ModelId = spec.Model,
            Temperature = spec.Temperature,
            Tools = spec.Tools?.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, MeaiKeyTests.Json("{\"type\":\"object\",\"properties\":{\"" + t.Property + "\":{\"type\":\"string\"}}}"))).ToList(),
            ToolMode = spec.Mode switch { 0 => null, 1 => ChatToolMode.Auto, 2 => ChatToolMode.None, _ => ChatToolMode.RequireSpecific("f") },
            StopSequences = spec.Stops?.ToList(),
        };
        if (spec.Extra is { } extra)
        {
            options.AdditionalProperties = new AdditionalPropertiesDictionary { ["k"] = extra };
        }

        return options;
    }

    /// <summary>The request as text, with each call id replaced by the number of its first appearance.</summary>
    private static string Describe(RequestSpec spec)
    {
        var numbers = new Dictionary<int, int>();
        int occurrences = 0;
        var text = new StringBuilder();
        foreach (MessageSpec message in spec.Messages)
        {
            text.Append('[').Append(message.Role).Append('|').Append(message.Author ?? "-").Append('|');
            foreach (ContentSpec content in message.Contents)
            {
                text.Append(content.Kind).Append(':').Append(content.Text);
                if (content.Kind >= 3)
                {
                    if (!numbers.TryGetValue(content.CallRef, out int number))
                    {
                        number = occurrences;
                        numbers[content.CallRef] = number;
                    }

                    occurrences++;
                    text.Append('#').Append(number);
                    if (content.Kind == 3)
                    {
                        text.Append('=').Append(content.Argument);
                    }
                }

                text.Append(',');
            }

            text.Append(']');
        }

        OptionsSpec? o = spec.Options;
        text.Append(o is null
            ? "null"
            : $"{o.Model}|{o.Temperature}|{(o.Tools is null ? "null" : string.Join(";", o.Tools.Select(t => t.ToString())))}|{o.Mode}|{o.Extra}|{(o.Stops is null ? "null" : string.Join(";", o.Stops))}");
        return text.ToString();
    }
}
