namespace LlmCache;

/// <summary>Why <see cref="SemanticPrecisionGuard"/> refused to let one prompt's answer serve another, or <see cref="None"/>.</summary>
public enum SemanticGuardRejection
{
    /// <summary>Nothing the guard checks differs: the semantic hit may be served.</summary>
    None = 0,

    /// <summary>The numbers differ (digits, number words, times, ordinals, roman numerals), or their order.</summary>
    Number = 1,

    /// <summary>One prompt is negated where the other is not (not, no, never, without, n't, un-/in-/dis-… prefixes).</summary>
    Negation = 2,

    /// <summary>A quoted string of one prompt does not appear in the other.</summary>
    QuotedText = 3,

    /// <summary>A name (proper noun, acronym) or code identifier of one prompt does not appear in the other.</summary>
    Name = 4,

    /// <summary>One prompt has a word where the other has its opposite (before/after, buy/sell, upload/download).</summary>
    Opposite = 5,

    /// <summary>
    /// The prompts are the same but for one content word replaced by another ("every day"/"every week",
    /// "actor"/"actress"): a minimal edit, which embeddings rate as nearly identical, usually asks something else.
    /// </summary>
    SwappedWord = 6,
}
