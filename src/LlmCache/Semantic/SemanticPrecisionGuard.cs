using System;
using System.Collections.Generic;
using System.Linq;

namespace LlmCache;

/// <summary>
/// Decides whether the answer cached for one prompt may serve another prompt that a sentence embedding rates as
/// similar. Embeddings are blind to what changes an answer while leaving the topic alone: "What is 12 times 14?" and
/// "What is 12 times 15?" score 0.93 with MiniLM. The guard rejects a semantic hit when the two texts differ in:
/// <list type="bullet">
/// <item><description>numbers, in order: digits, number words, ordinals, times, roman numerals;</description></item>
/// <item><description>negation: how often not/no/never/without/n't occur, or a negating prefix (compatible/incompatible);</description></item>
/// <item><description>quoted strings: each must appear in the other text;</description></item>
/// <item><description>names: proper nouns, acronyms and code identifiers, each must appear in the other text;</description></item>
/// <item><description>opposites: a word in one where the other has its opposite (before/after, upload/download);</description></item>
/// <item><description>a swapped word: the same prompt with one content word replaced ("bold"/"italic"), unless the two
/// are spellings or inflections of one word ("colour"/"color").</description></item>
/// </list>
/// It errs towards rejecting: a paraphrase that words a number or a name differently ("one of the keys") becomes a
/// miss, which costs one model call, never a wrong answer. Pure and thread-safe; no state. How it was designed and
/// what it measures on a labelled pair set: docs/semantic/precision.md.
/// </summary>
public static class SemanticPrecisionGuard
{
    /// <summary>Whether the answer cached for <paramref name="cachedText"/> may serve <paramref name="text"/>.</summary>
    /// <param name="cachedText">The embedded text of the cached entry.</param>
    /// <param name="text">The embedded text of the new call.</param>
    /// <returns>True when nothing the guard checks differs.</returns>
    public static bool Accepts(string cachedText, string text) => Check(cachedText, text) == SemanticGuardRejection.None;

    /// <summary>Why the answer cached for <paramref name="cachedText"/> may not serve <paramref name="text"/>, or <see cref="SemanticGuardRejection.None"/>.</summary>
    /// <param name="cachedText">The embedded text of the cached entry.</param>
    /// <param name="text">The embedded text of the new call.</param>
    /// <returns>The first difference found, in the order of <see cref="SemanticGuardRejection"/>'s members.</returns>
    public static SemanticGuardRejection Check(string cachedText, string text)
    {
        ArgumentNullException.ThrowIfNull(cachedText);
        ArgumentNullException.ThrowIfNull(text);
        if (string.Equals(cachedText, text, StringComparison.Ordinal))
        {
            return SemanticGuardRejection.None;
        }

        PromptFacts a = PromptFacts.Of(cachedText);
        PromptFacts b = PromptFacts.Of(text);
        if (!a.Numbers.SequenceEqual(b.Numbers, StringComparer.Ordinal))
        {
            return SemanticGuardRejection.Number;
        }

        if (a.NegationCount != b.NegationCount || DiffersByPrefix(a, b, OppositeWords.NegatingPrefixes))
        {
            return SemanticGuardRejection.Negation;
        }

        if (!a.Quotes.All(b.Text.Contains) || !b.Quotes.All(a.Text.Contains))
        {
            return SemanticGuardRejection.QuotedText;
        }

        if (!a.Names.IsSubsetOf(b.Keys) || !b.Names.IsSubsetOf(a.Keys))
        {
            return SemanticGuardRejection.Name;
        }

        if (HasOpposites(a, b))
        {
            return SemanticGuardRejection.Opposite;
        }

        return SwappedWords.AreOneSwapApart(a.Sequence, b.Sequence) ? SemanticGuardRejection.SwappedWord : SemanticGuardRejection.None;
    }

    /// <summary>One text has a stem the other has only with one of <paramref name="prefixes"/> before it.</summary>
    private static bool DiffersByPrefix(PromptFacts a, PromptFacts b, string[] prefixes) =>
        HasPrefixed(a.Stems, b.Stems, prefixes) || HasPrefixed(b.Stems, a.Stems, prefixes);

    private static bool HasPrefixed(HashSet<string> plain, HashSet<string> other, string[] prefixes)
    {
        foreach (string stem in plain)
        {
            if (stem.Length < OppositeWords.MinimumPrefixedStem || other.Contains(stem))
            {
                continue;
            }

            foreach (string prefix in prefixes)
            {
                string prefixed = prefix + stem;
                if (other.Contains(prefixed) && !plain.Contains(prefixed))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasOpposites(PromptFacts a, PromptFacts b)
    {
        foreach ((string x, string y) in OppositeWords.StemPairs)
        {
            if (Swapped(a.Stems, b.Stems, x, y))
            {
                return true;
            }
        }

        foreach ((string p, string q) in OppositeWords.PrefixPairs)
        {
            if (SwappedPrefix(a.Stems, b.Stems, p, q) || SwappedPrefix(a.Stems, b.Stems, q, p))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One text has <paramref name="x"/> where the other has <paramref name="y"/>, and they do not both name both
    /// ("buy or rent" and "rent or buy" are the same question).
    /// </summary>
    private static bool Swapped(HashSet<string> a, HashSet<string> b, string x, string y)
    {
        bool ax = a.Contains(x), ay = a.Contains(y), bx = b.Contains(x), by = b.Contains(y);
        return (ax != bx || ay != by) && ((ax && by && !bx) || (ay && bx && !by));
    }

    private static bool SwappedPrefix(HashSet<string> a, HashSet<string> b, string p, string q)
    {
        foreach (string stem in a)
        {
            if (stem.Length - p.Length >= OppositeWords.MinimumPrefixedStem - 1 && stem.StartsWith(p, StringComparison.Ordinal))
            {
                string opposite = q + stem[p.Length..];
                if (b.Contains(opposite) && !a.Contains(opposite) && !b.Contains(stem))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
