using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace LlmCache;

/// <summary>What <see cref="SemanticPrecisionGuard"/> compares of one prompt: the features a sentence embedding is blind to.</summary>
internal sealed partial class PromptFacts
{
    private PromptFacts(string text)
    {
        List<PromptWord> words = PromptWord.Split(text);
        Numbers = PromptNumbers.Read(words);
        Text = WhiteSpacePattern().Replace(text.ToLowerInvariant(), " ");
        foreach (PromptWord word in words)
        {
            string key = word.Key;
            if (key.Length == 0)
            {
                continue;
            }

            Keys.Add(key);
            if (!PromptNumbers.IsNumeric(word.Text.ToLowerInvariant()))
            {
                // Numbers are compared by value above; "3" and "three" are not a swapped word.
                Sequence.Add(key);
            }

            Stems.Add(PromptWord.Stem(key));
            if (IsNegation(word.Text.ToLowerInvariant()))
            {
                NegationCount++;
            }

            if (IsName(word))
            {
                Names.Add(key);
            }
        }

        foreach (Match quote in QuotePattern().Matches(text))
        {
            string quoted = WhiteSpacePattern().Replace(quote.Groups["q"].Value.ToLowerInvariant(), " ").Trim().TrimEnd('.', ',', '!', '?');
            if (quoted.Length > 0)
            {
                Quotes.Add(quoted);
            }
        }
    }

    /// <summary>The prompt lower-cased with white space collapsed, where quoted strings are looked for.</summary>
    public string Text { get; }

    public List<string> Numbers { get; }

    public int NegationCount { get; }

    public List<string> Quotes { get; } = [];

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>Every word's key but those of numbers, in order, repeats kept.</summary>
    public List<string> Sequence { get; } = [];

    public HashSet<string> Stems { get; } = new(StringComparer.Ordinal);

    public static PromptFacts Of(string text) => new(text);

    private static bool IsNegation(string lower) =>
        lower is "not" or "no" or "never" or "none" or "nothing" or "nobody" or "nowhere" or "neither" or "nor" or "without" or "cannot"
            or "dont" or "doesnt" or "didnt" or "isnt" or "arent" or "wasnt" or "werent" or "cant" or "couldnt" or "wont"
            or "wouldnt" or "shouldnt" or "hasnt" or "havent" or "hadnt" or "mustnt" or "aint"
        || lower.EndsWith("n't", StringComparison.Ordinal) || lower.EndsWith("n’t", StringComparison.Ordinal)
        || lower.StartsWith("non-", StringComparison.Ordinal);

    /// <summary>
    /// A proper noun (capitalised inside a sentence), an acronym, or code: an identifier with inner capitals
    /// (<c>getUserById</c>, <c>iPhone</c>), underscores, dots, brackets or operators, a command-line flag, or
    /// a letter followed by a digit (<c>S3</c>, <c>mp3</c>; not <c>1st</c> or <c>10am</c>, which are numbers). The pronoun "I" and a capitalised first word of a sentence are not names.
    /// </summary>
    private static bool IsName(PromptWord word)
    {
        string text = word.Text;
        if (!HasLetter(text) || text is "I" or "I'm" or "I’m" or "I'd" or "I’d" or "I've" or "I’ve" or "I'll" or "I’ll")
        {
            return false;
        }

        return CodePattern().IsMatch(text)
            || AcronymPattern().IsMatch(text)
            || (char.IsUpper(text[0]) && !word.StartsSentence);
    }

    private static bool HasLetter(string text)
    {
        foreach (char c in text)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpacePattern();

    // "double", “curly”, ‘single curly’, `backticks`, and 'single' quotes that are not apostrophes (no letter or
    // digit just outside them).
    [GeneratedRegex("\"(?<q>[^\"]+)\"|“(?<q>[^”]+)”|‘(?<q>[^’]+)’|`(?<q>[^`]+)`|(?<![\\p{L}\\p{N}])'(?<q>[^']+?)'(?![\\p{L}\\p{N}])")]
    private static partial Regex QuotePattern();

    [GeneratedRegex(@"\p{Ll}\p{Lu}|[_#()\[\]{}<>=^\\/]|\p{L}\.\p{L}|^\.\p{L}|^-{1,2}\p{L}|\p{L}\d")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\p{Lu}{2,}s?$|^\p{Lu}+[\p{Lu}\d_]*_[\p{Lu}\d_]+$")]
    private static partial Regex AcronymPattern();
}
