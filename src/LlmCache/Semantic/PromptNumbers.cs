using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmCache;

/// <summary>
/// Every number a prompt states, in order, in one canonical spelling: digits ("1,000" and "1000", "3.50" and "3.5"
/// agree), number words ("three", "twenty-five", "a dozen", "two hundred"), ordinals ("first" and "1st" agree),
/// times ("7 pm", "7pm" and "19:00" agree; "noon", "midnight") and roman numerals ("II", "Henry VIII",
/// "World War I").
/// </summary>
internal static partial class PromptNumbers
{
    public static List<string> Read(List<PromptWord> words)
    {
        var numbers = new List<string>();
        double? pendingWordValue = null;
        for (int i = 0; i < words.Count; i++)
        {
            string text = words[i].Text;
            string lower = text.ToLowerInvariant();
            if (TryReadTime(lower, i + 1 < words.Count ? words[i + 1].Text.ToLowerInvariant() : null, out string? time, out bool usedNext))
            {
                Flush(numbers, ref pendingWordValue);
                numbers.Add(time);
                i += usedNext ? 1 : 0;
                continue;
            }

            if (TryReadNumberWord(lower, out double wordValue))
            {
                // Adjacent number words make one number: "twenty five" is 25, "two hundred" is 200.
                pendingWordValue = Combine(pendingWordValue, wordValue, numbers);
                continue;
            }

            Flush(numbers, ref pendingWordValue);
            if (TryReadRoman(words, i, out int roman))
            {
                numbers.Add(roman.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            foreach (Match digits in DigitsPattern().Matches(text))
            {
                numbers.Add(CanonicalDigits(digits.Value));
            }
        }

        Flush(numbers, ref pendingWordValue);
        return numbers;
    }

    /// <summary>Whether a lower-cased word states a number (a digit, a number word, noon, midnight, am or pm).</summary>
    public static bool IsNumeric(string lower) =>
        lower.AsSpan().IndexOfAnyInRange('0', '9') >= 0 || TryReadNumberWord(lower, out _)
        || lower is "noon" or "midday" or "midnight" || MeridiemPattern().IsMatch(lower);

    private static double Combine(double? pending, double value, List<string> numbers)
    {
        if (pending is not { } before)
        {
            return value;
        }

        if (value is 100 or 1_000 or 1_000_000 or 1_000_000_000 && before < value)
        {
            return before * value;
        }

        if (before >= 20 && before % 10 == 0 && before < 100 && value is >= 1 and <= 9)
        {
            return before + value;
        }

        numbers.Add(Format(before));
        return value;
    }

    private static void Flush(List<string> numbers, ref double? pending)
    {
        if (pending is { } value)
        {
            numbers.Add(Format(value));
            pending = null;
        }
    }

    private static bool TryReadTime(string word, string? next, out string time, out bool usedNext)
    {
        usedNext = false;
        time = "";
        if (word is "noon" or "midday")
        {
            time = "12:00";
            return true;
        }

        if (word == "midnight")
        {
            time = "0:00";
            return true;
        }

        Match match = TimePattern().Match(word);
        if (!match.Success)
        {
            return false;
        }

        string meridiem = match.Groups["m"].Value;
        if (meridiem.Length == 0 && next is not null && MeridiemPattern().IsMatch(next))
        {
            meridiem = next[..1];
            usedNext = true;
        }

        if (meridiem.Length == 0 && !match.Groups["min"].Success)
        {
            return false;
        }

        int hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        int minute = match.Groups["min"].Success ? int.Parse(match.Groups["min"].Value, CultureInfo.InvariantCulture) : 0;
        if (meridiem.Length > 0 && hour is >= 1 and <= 12)
        {
            hour = (hour % 12) + (meridiem == "p" ? 12 : 0);
        }

        time = string.Create(CultureInfo.InvariantCulture, $"{hour}:{minute:00}");
        return true;
    }

    private static bool TryReadNumberWord(string word, out double value)
    {
        if (NumberWords.TryGetValue(word, out value))
        {
            return true;
        }

        // "twenty-five", "twenty-fifth"
        int hyphen = word.IndexOf('-', StringComparison.Ordinal);
        if (hyphen > 0 && NumberWords.TryGetValue(word[..hyphen], out double tens) && tens is >= 20 and < 100 && tens % 10 == 0
            && NumberWords.TryGetValue(word[(hyphen + 1)..], out double units) && units is >= 1 and <= 9)
        {
            value = tens + units;
            return true;
        }

        return false;
    }

    private static bool TryReadRoman(List<PromptWord> words, int index, out int value)
    {
        string text = words[index].Text;
        value = 0;
        if (!RomanPattern().IsMatch(text))
        {
            return false;
        }

        // A lone I, V or X is a numeral only after a capitalised word inside a sentence ("World War I", "Rocky V"),
        // never the pronoun "I".
        if (text.Length == 1 && (index == 0 || words[index].StartsSentence || words[index - 1].StartsSentence || !char.IsUpper(words[index - 1].Text[0])))
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            int current = RomanValue(text[i]);
            value += i + 1 < text.Length && current < RomanValue(text[i + 1]) ? -current : current;
        }

        return true;
    }

    private static int RomanValue(char c) => c switch
    {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };

    private static string CanonicalDigits(string digits)
    {
        string plain = ThousandsPattern().IsMatch(digits) ? digits.Replace(",", "", StringComparison.Ordinal) : digits;
        return decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            ? Format((double)value)
            : plain;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, double> NumberWords = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13,
        ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18,
        ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60,
        ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90, ["hundred"] = 100, ["thousand"] = 1_000,
        ["million"] = 1_000_000, ["billion"] = 1_000_000_000, ["dozen"] = 12, ["half"] = 0.5, ["twice"] = 2,
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5, ["sixth"] = 6, ["seventh"] = 7,
        ["eighth"] = 8, ["ninth"] = 9, ["tenth"] = 10, ["eleventh"] = 11, ["twelfth"] = 12, ["thirteenth"] = 13,
        ["fourteenth"] = 14, ["fifteenth"] = 15, ["sixteenth"] = 16, ["seventeenth"] = 17, ["eighteenth"] = 18,
        ["nineteenth"] = 19, ["twentieth"] = 20, ["thirtieth"] = 30, ["fortieth"] = 40, ["fiftieth"] = 50,
        ["hundredth"] = 100, ["thousandth"] = 1_000, ["millionth"] = 1_000_000,
    };

    [GeneratedRegex(@"\d+(?:[.,]\d+)*")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex(@"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")]
    private static partial Regex ThousandsPattern();

    [GeneratedRegex(@"^(?<h>\d{1,2})(?::(?<min>\d{2}))?(?:(?<m>[ap])\.?m\.?)?$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[ap]\.?m\.?$")]
    private static partial Regex MeridiemPattern();

    [GeneratedRegex("^(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")]
    private static partial Regex RomanPattern();
}
