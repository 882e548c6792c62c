using System;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// Opposites that embeddings place close together because they share a topic: pairs of word stems
/// (<see cref="PromptWord.Stem"/>) and pairs of opposite prefixes on a shared stem ("upload"/"download",
/// "include"/"exclude", "maximum"/"minimum"). Also negating prefixes ("compatible"/"incompatible").
/// </summary>
internal static class OppositeWords
{
    /// <summary>Stem pairs; both sides are stemmed, so "largest"/"smallest" and "bought"... need their own entries.</summary>
    public static readonly (string A, string B)[] StemPairs = Stemmed(
    [
        ("before", "after"), ("above", "below"), ("over", "under"), ("top", "bottom"), ("upper", "lower"),
        ("front", "back"), ("first", "last"), ("earliest", "latest"), ("early", "late"), ("oldest", "newest"),
        ("old", "new"), ("young", "old"), ("start", "stop"), ("start", "end"), ("begin", "end"), ("open", "close"),
        ("push", "pull"), ("add", "remove"), ("add", "subtract"), ("plus", "minus"), ("multiply", "divide"),
        ("buy", "sell"), ("bought", "sold"), ("lend", "borrow"), ("give", "take"), ("send", "receive"),
        ("win", "lose"), ("won", "lost"), ("accept", "reject"), ("allow", "deny"), ("allow", "block"), ("approve", "reject"),
        ("pros", "cons"), ("benefit", "drawback"), ("advantage", "drawback"), ("strength", "weakness"),
        ("best", "worst"), ("better", "worse"), ("good", "bad"), ("most", "least"), ("more", "less"), ("more", "fewer"),
        ("many", "few"), ("all", "none"), ("always", "never"), ("everything", "nothing"),
        ("large", "small"), ("big", "small"), ("big", "little"), ("high", "low"), ("tall", "short"), ("long", "short"),
        ("wide", "narrow"), ("thick", "thin"), ("heavy", "light"), ("fast", "slow"), ("quick", "slow"), ("hot", "cold"),
        ("warm", "cool"), ("wet", "dry"), ("light", "dark"), ("easy", "hard"), ("easy", "difficult"), ("simple", "complex"),
        ("strong", "weak"), ("rich", "poor"), ("cheap", "expensive"), ("safe", "dangerous"), ("safe", "risky"),
        ("success", "failure"), ("succeed", "fail"), ("pass", "fail"), ("true", "false"), ("yes", "no"),
        ("positive", "negative"), ("love", "hate"), ("like", "dislike"), ("happy", "sad"), ("friend", "enemy"),
        ("male", "female"), ("men", "women"), ("boy", "girl"), ("north", "south"), ("east", "west"), ("left", "right"),
        ("ascend", "descend"), ("asc", "desc"), ("rise", "fall"), ("gain", "loss"), ("profit", "loss"), ("win", "loss"),
        ("arrive", "depart"), ("arrival", "departure"), ("enter", "exit"), ("entry", "exit"), ("attack", "defend"),
        ("offense", "defense"), ("export", "import"), ("expand", "collapse"), ("show", "hide"), ("lock", "unlock"),
        ("mount", "unmount"), ("sunrise", "sunset"), ("morning", "evening"), ("day", "night"), ("summer", "winter"),
        ("spring", "autumn"), ("spring", "fall"), ("min", "max"), ("maximum", "minimum"), ("client", "server"),
        ("sync", "async"), ("synchronous", "asynchronous"), ("static", "dynamic"), ("public", "private"),
        ("mutable", "immutable"), ("valid", "invalid"), ("legal", "illegal"), ("odd", "even"), ("prefix", "suffix"),
        ("horizontal", "vertical"), ("major", "minor"), ("inner", "outer"), ("internal", "external"), ("include", "exclude"),
    ]);

    /// <summary>Prefixes that turn a stem into its opposite when swapped.</summary>
    public static readonly (string A, string B)[] PrefixPairs =
    [
        ("up", "down"), ("in", "out"), ("over", "under"), ("pre", "post"), ("en", "de"), ("in", "de"), ("en", "dis"),
        ("im", "ex"), ("in", "ex"), ("max", "min"), ("micro", "macro"), ("sub", "super"), ("inter", "intra"),
    ];

    /// <summary>Prefixes that negate the stem they stand before.</summary>
    public static readonly string[] NegatingPrefixes = ["un", "in", "im", "il", "ir", "non", "dis", "de", "anti", "mis"];

    /// <summary>A stem must be this long for a prefix rule to apply, so short words ("bug"/"debug", "put"/"input") are left alone.</summary>
    public const int MinimumPrefixedStem = 4;

    private static (string A, string B)[] Stemmed((string A, string B)[] pairs)
    {
        var stemmed = new (string, string)[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            stemmed[i] = (PromptWord.Stem(pairs[i].A), PromptWord.Stem(pairs[i].B));
            if (stemmed[i].Item1 == stemmed[i].Item2)
            {
                throw new InvalidOperationException($"Opposites '{pairs[i].A}' and '{pairs[i].B}' share a stem.");
            }
        }

        return stemmed;
    }
}
