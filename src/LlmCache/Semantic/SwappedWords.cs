using System;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// Finds prompts that are one word apart: every word of one is in the other but for a single content word on each
/// side. Measured on the hold-out pairs (docs/semantic/pairs.md), that minimal edit is what the remaining wrong
/// hits had in common ("every day"/"every week", "turn on"/"turn off", "flex-grow"/"flex-shrink"), while
/// paraphrases reword more than one word. Swaps of function words ("can"/"could", "a"/"the") and of spellings or
/// inflections of one word ("colour"/"color", "egg"/"eggs") are not counted.
/// </summary>
internal static class SwappedWords
{
    public static bool AreOneSwapApart(List<string> a, List<string> b)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in a)
        {
            counts[word] = counts.GetValueOrDefault(word) + 1;
        }

        foreach (string word in b)
        {
            counts[word] = counts.GetValueOrDefault(word) - 1;
        }

        string? onlyInA = null, onlyInB = null;
        foreach ((string word, int count) in counts)
        {
            if (count > 1 || count < -1 || (count == 1 && onlyInA is not null) || (count == -1 && onlyInB is not null))
            {
                return false;
            }

            if (count == 1)
            {
                onlyInA = word;
            }
            else if (count == -1)
            {
                onlyInB = word;
            }
        }

        return onlyInA is not null && onlyInB is not null
            && !(FunctionWords.Contains(onlyInA) && FunctionWords.Contains(onlyInB))
            && !SameWord(onlyInA, onlyInB);
    }

    private static bool SameWord(string a, string b) =>
        PromptWord.Stem(a) == PromptWord.Stem(b) || AmericanSpelling(a) == AmericanSpelling(b);

    private static string AmericanSpelling(string word) => PromptWord.Stem(word
        .Replace("our", "or", StringComparison.Ordinal)
        .Replace("ise", "ize", StringComparison.Ordinal)
        .Replace("isation", "ization", StringComparison.Ordinal)
        .Replace("yse", "yze", StringComparison.Ordinal)
        .Replace("tre", "ter", StringComparison.Ordinal)
        .Replace("ogue", "og", StringComparison.Ordinal)
        .Replace("ll", "l", StringComparison.Ordinal));

    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "our", "their", "his", "her", "its", "some", "any",
        "i", "me", "you", "we", "us", "they", "them", "it", "one", "is", "are", "was", "were", "be", "been", "am", "do",
        "does", "did", "can", "could", "would", "will", "should", "shall", "may", "might", "must", "what", "which", "who",
        "whom", "how", "why", "when", "where", "whats", "hows", "whos", "please", "to", "into", "in", "at", "for", "of",
        "with", "by", "about", "and", "so", "very", "really", "just", "also",
    };
}
