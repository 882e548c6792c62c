using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;

namespace LlmCache.Tests;

/// <summary>
/// Properties of the generated key builder over every supported input kind: equal inputs give equal keys, and
/// unequal inputs give unequal keys. Inputs come from small domains so that most pairs differ in one or two values.
/// </summary>
public sealed class KeyPropertyTests
{
    private static readonly Guid SomeGuid = new("6f1c2a0e-52b5-4d4e-9a53-3f5b2c6b7a10");

    private static readonly Gen<string?> SmallText =
        Gen.OneOfConst('a', 'b', '\uD800', '\uDC00').Array[0, 3].Select(chars => new string(chars)).Null(0.1);

    private static readonly Gen<Message> SmallMessage =
        Gen.Select(Gen.OneOfConst("user", "assistant"), Gen.OneOfConst("", "a", "ab"), (role, text) => new Message(role, text));

    private static readonly Gen<ProbeInput> SmallInput = Gen.Select(
        Gen.Select(SmallText, SmallText, Gen.Int[0, 2], Gen.Long[0, 2], Gen.OneOfConst(0.0, -0.0, 1.5, double.NaN), Gen.OneOfConst(1m, 1.0m, 1.00m, 2m), Gen.Bool, Gen.OneOfConst('a', 'b'), (t, o, n, b, r, m, f, l) => (t, o, n, b, r, m, f, l)),
        Gen.Select(
            Gen.OneOfConst(Guid.Empty, SomeGuid),
            Gen.OneOfConst(DateTime.UnixEpoch, DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Local), DateTime.UnixEpoch.AddTicks(1)),
            Gen.OneOfConst(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.ToOffset(TimeSpan.FromHours(1))),
            Gen.Enum<Mood>(),
            Gen.OneOfConst<int?>(null, 0, 1),
            Gen.Byte[0, 1].Array[0, 2].Null(0.2),
            Gen.Int[0, 3].Array[0, 3].Null(0.2),
            (i, a, o, mo, ma, bl, nu) => (i, a, o, mo, ma, bl, nu)),
        Gen.Select(
            SmallText.Array[0, 2].Null(0.2),
            SmallMessage.Array[0, 2].Null(0.2),
            Gen.OneOfConst("a", "b", "c").Array[0, 3].Null(0.2),
            Gen.Select(Gen.OneOfConst("x", "y", "z"), Gen.Int[0, 1]).Array[0, 3].Null(0.2),
            (w, ms, tg, wt) => (w, ms, tg, wt)),
        (a, b, c) => new ProbeInput(
            a.t, a.o, a.n, a.b, a.r, a.m, a.f, a.l,
            b.i, b.a, b.o, b.mo, b.ma, b.bl, b.nu,
            c.w, c.ms,
            c.tg is null ? null : new HashSet<string>(c.tg),
            c.wt is null ? null : c.wt.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2)));

    [Fact]
    public void Equal_inputs_give_equal_keys_and_unequal_inputs_give_unequal_keys()
    {
        Gen.Select(SmallInput, SmallInput).Sample(
            (a, b) => DeepEquals(a, b) == Key(a).AsSpan().SequenceEqual(Key(b)),
            iter: 20_000,
            print: pair => $"{Describe(pair.Item1)} vs {Describe(pair.Item2)}");
    }

    [Fact]
    public void A_copy_with_new_instances_gives_the_same_key()
    {
        SmallInput.Sample(
            input => Key(input).AsSpan().SequenceEqual(Key(Copy(input))),
            iter: 5_000,
            print: Describe);
    }

    [Fact]
    public void Unordered_collections_give_the_same_key_in_any_insertion_order()
    {
        ProbeInput forward = Empty with { Tags = new HashSet<string> { "a", "b", "c" }, Weights = new Dictionary<string, int> { ["x"] = 1, ["y"] = 2 } };
        ProbeInput backward = Empty with { Tags = new HashSet<string> { "c", "b", "a" }, Weights = new Dictionary<string, int> { ["y"] = 2, ["x"] = 1 } };

        Assert.Equal(Key(forward), Key(backward));
        Assert.NotEqual(Key(forward), Key(forward with { Weights = new Dictionary<string, int> { ["x"] = 2, ["y"] = 1 } }));
    }

    // A plain array, not theory data: xUnit serialises theory arguments, which turns lone surrogates into U+FFFD.
    private static readonly (string? Text, string? Other, string? Text2, string? Other2)[] StringBoundaries =
    {
        ("ab", "c", "a", "bc"),
        ("", null, null, ""),
        ("x\uD800", null, "x\uDC00", null),
        ("\uD800", null, "\uFFFD", null),
        ("\uD800\uDC00", null, "\uDC00\uD800", null),
        ("a", "", "a", null),
    };

    [Fact]
    public void Boundaries_between_strings_are_kept()
    {
        foreach ((string? text1, string? other1, string? text2, string? other2) in StringBoundaries)
        {
            Assert.NotEqual(Key(Empty with { Text = text1, Other = other1 }), Key(Empty with { Text = text2, Other = other2 }));
        }
    }

    [Fact]
    public void Boundaries_between_lists_are_kept()
    {
        ProbeInput a = Empty with { Numbers = new[] { 1, 2 }, Words = new[] { "3" } };
        ProbeInput b = Empty with { Numbers = new[] { 1 }, Words = new[] { "2", "3" } };
        ProbeInput empty = Empty with { Numbers = Array.Empty<int>() };
        ProbeInput none = Empty with { Numbers = null };

        Assert.NotEqual(Key(a), Key(b));
        Assert.NotEqual(Key(empty), Key(none));
    }

    private static readonly ProbeInput Empty = new(
        null, null, 0, 0, 0, 0, false, 'a', Guid.Empty, DateTime.UnixEpoch, DateTimeOffset.UnixEpoch, Mood.Calm, null, null, null, null, null, null, null);

    private static byte[] Key(ProbeInput p)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new CacheKeyWriter(buffer);
        try
        {
            KeyProbe.__LlmCache_Probe.WriteKey(
                ref writer, p.Text, p.Other, p.Number, p.Big, p.Real, p.Money, p.Flag, p.Letter, p.Id, p.At, p.Offset, p.Mood,
                p.Maybe, p.Blob, p.Numbers, p.Words, p.Messages, p.Tags, p.Weights);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static bool DeepEquals(ProbeInput a, ProbeInput b) =>
        string.Equals(a.Text, b.Text, StringComparison.Ordinal) && string.Equals(a.Other, b.Other, StringComparison.Ordinal) &&
        a.Number == b.Number && a.Big == b.Big && a.Real.Equals(b.Real) && a.Money == b.Money && a.Flag == b.Flag && a.Letter == b.Letter &&
        a.Id == b.Id && a.At.Ticks == b.At.Ticks && a.At.Kind == b.At.Kind && a.Offset.EqualsExact(b.Offset) && a.Mood == b.Mood &&
        a.Maybe == b.Maybe && SequenceEquals(a.Blob, b.Blob) && SequenceEquals(a.Numbers, b.Numbers) &&
        SequenceEquals(a.Words, b.Words, StringComparer.Ordinal) && SequenceEquals(a.Messages, b.Messages) &&
        (a.Tags is null ? b.Tags is null : b.Tags is not null && a.Tags.SetEquals(b.Tags)) &&
        (a.Weights is null ? b.Weights is null : b.Weights is not null && a.Weights.Count == b.Weights.Count && a.Weights.All(p => b.Weights.TryGetValue(p.Key, out int v) && v == p.Value));

    private static bool SequenceEquals<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b, IEqualityComparer<T>? comparer = null) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b, comparer);

    private static ProbeInput Copy(ProbeInput p) => p with
    {
        Text = p.Text is null ? null : new string(p.Text.AsSpan()),
        Other = p.Other is null ? null : new string(p.Other.AsSpan()),
        Blob = p.Blob?.ToArray(),
        Numbers = p.Numbers?.ToArray(),
        Words = p.Words?.Select(w => w is null ? null : new string(w.AsSpan())).ToList(),
        Messages = p.Messages?.Select(m => new Message(new string(m.Role.AsSpan()), new string(m.Text.AsSpan()))).ToList(),
        Tags = p.Tags is null ? null : new HashSet<string>(p.Tags.Reverse()),
        Weights = p.Weights?.Reverse().ToDictionary(x => x.Key, x => x.Value),
        Money = p.Money * 1.000m,
        Real = p.Real == 0 ? -p.Real : p.Real,
    };

    private static string Describe(ProbeInput p) =>
        $"[{Escape(p.Text)}|{Escape(p.Other)}|{p.Number}|{p.Big}|{p.Real}|{p.Money}|{p.Flag}|{p.Letter}|{p.Id}|{p.At.Ticks}:{p.At.Kind}|{p.Offset:O}|{p.Mood}|{p.Maybe}|" +
        $"{Join(p.Blob)}|{Join(p.Numbers)}|{Join(p.Words?.Select(Escape))}|{Join(p.Messages)}|{Join(p.Tags)}|{Join(p.Weights)}]";

    private static string Escape(string? s) => s is null ? "null" : string.Concat(s.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:X4}"));

    private static string Join<T>(IEnumerable<T>? items) => items is null ? "null" : "{" + string.Join(",", items) + "}";

    public sealed record ProbeInput(
        string? Text,
        string? Other,
        int Number,
        long Big,
        double Real,
        decimal Money,
        bool Flag,
        char Letter,
        Guid Id,
        DateTime At,
        DateTimeOffset Offset,
        Mood Mood,
        int? Maybe,
        byte[]? Blob,
        int[]? Numbers,
        IReadOnlyList<string?>? Words,
        IReadOnlyList<Message>? Messages,
        HashSet<string>? Tags,
        Dictionary<string, int>? Weights);
}
