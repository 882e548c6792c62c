using System;
using System.Collections.Generic;

namespace LlmCache;

/// <summary>
/// The words of a prompt as <see cref="SemanticPrecisionGuard"/> reads them: split at white space, outer punctuation
/// stripped (inner punctuation kept, so <c>os.path.join</c>, <c>--force</c>, <c>6:30</c> and <c>C#</c> stay one
/// word), each marked when it starts a sentence.
/// </summary>
internal readonly record struct PromptWord(string Text, bool StartsSentence)
{
    private const string LeadingPunctuation = "\"'“”‘’([{<*";
    private const string TrailingPunctuation = ".,!?;:\"'“”‘’)]}>*";

    /// <summary>The word lower-cased, without a possessive <c>'s</c> and without hyphens, underscores, dots and apostrophes.</summary>
    public string Key => Normalize(Text);

    public static List<PromptWord> Split(string text)
    {
        var words = new List<PromptWord>();
        bool sentenceStart = true;
        foreach (string raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            string word = raw.TrimStart(LeadingPunctuation.ToCharArray()).TrimEnd(TrailingPunctuation.ToCharArray());
            if (word.Length > 0)
            {
                words.Add(new PromptWord(word, sentenceStart));
            }

            // A sentence starts after . ! ? or : at the end of a word (closing quotes and brackets aside).
            string end = raw.TrimEnd("\"'“”‘’)]}>*".ToCharArray());
            sentenceStart = word.Length == 0 ? sentenceStart : end.Length > 0 && end[^1] is '.' or '!' or '?' or ':';
        }

        return words;
    }

    public static string Normalize(string word)
    {
        string lower = word.ToLowerInvariant();
        if (lower.EndsWith("'s", StringComparison.Ordinal) || lower.EndsWith("’s", StringComparison.Ordinal))
        {
            lower = lower[..^2];
        }

        return lower.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .Replace(".", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal);
    }

    /// <summary>
    /// A crude English stem (plural, -ed, -ing, -er, -est, -ly, a final e, a doubled final consonant), so that
    /// "largest" meets "large" and "stopped" meets "stop". Stems shorter than three letters are not cut.
    /// </summary>
    public static string Stem(string key)
    {
        string stem = key;
        foreach (string suffix in Suffixes)
        {
            if (stem.Length - suffix.Length >= 3 && stem.EndsWith(suffix, StringComparison.Ordinal) && !(suffix == "s" && stem.EndsWith("ss", StringComparison.Ordinal)))
            {
                stem = stem[..^suffix.Length];
                break;
            }
        }

        if (stem.Length > 3 && stem[^1] == 'e')
        {
            stem = stem[..^1];
        }

        if (stem.Length > 3 && stem[^1] == stem[^2] && !IsVowel(stem[^1]) && stem[^1] != 's' && stem[^1] != 'l')
        {
            stem = stem[..^1];
        }

        return stem;
    }

    private static readonly string[] Suffixes = ["ings", "ing", "ies", "est", "ers", "ed", "er", "es", "ly", "s"];

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
