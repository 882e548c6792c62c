using System.Collections.Generic;

namespace LlmCache.Analyzers;

/// <summary>
/// Recognises parameter names that say the value is a secret: <c>apiKey</c>, <c>api_key</c>, <c>password</c>,
/// <c>clientSecret</c>, <c>accessToken</c>, <c>credentials</c>, <c>connectionString</c>, in any case.
/// Names that only mention tokens as a quantity (<c>maxTokens</c>, <c>tokenLimit</c>) are not secrets.
/// </summary>
internal static class SecretNames
{
    private static readonly HashSet<string> SecretWords = new()
    {
        "password", "passwd", "pwd", "passphrase", "secret", "secrets", "credential", "credentials",
        "apikey", "accesskey", "privatekey", "secretkey", "subscriptionkey", "connectionstring",
    };

    private static readonly HashSet<string> KeyQualifiers = new() { "api", "access", "private", "secret", "subscription" };

    // Tokens of paging and of language models, not of authentication.
    private static readonly HashSet<string> NonSecretTokenQualifiers = new()
    {
        "page", "continuation", "next", "sync", "resume", "stop", "start", "end", "eos", "bos", "pad", "special",
    };

    public static bool LooksLikeSecret(string name)
    {
        List<string> words = SplitWords(name);
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            string? next = i + 1 < words.Count ? words[i + 1] : null;
            if (SecretWords.Contains(word) ||
                (next == "key" && KeyQualifiers.Contains(word)) ||
                (word == "connection" && next == "string"))
            {
                return true;
            }
        }

        // A token is a secret when the name ends with it (accessToken, bearer_token, token); tokenLimit is a quantity,
        // and a page or stop token is not an authentication token.
        int last = words.Count - 1;
        return last >= 0 && words[last].EndsWith("token", System.StringComparison.Ordinal) &&
            !(last > 0 && NonSecretTokenQualifiers.Contains(words[last - 1]));
    }

    /// <summary>Splits camelCase, PascalCase, snake_case and kebab-case names into lower-case words.</summary>
    internal static List<string> SplitWords(string name)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= name.Length; i++)
        {
            char c = i < name.Length ? name[i] : '_';
            if (!char.IsLetterOrDigit(c))
            {
                Flush(name, ref start, i, words);
                continue;
            }

            if (start >= 0 && char.IsUpper(c))
            {
                char previous = name[i - 1];
                bool nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);

                // "apiKey" splits before K; "APIKey" splits before K as well (the upper run ends at the last capital).
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush(name, ref start, i, words);
                }
            }

            if (start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private static void Flush(string name, ref int start, int end, List<string> words)
    {
        if (start >= 0)
        {
            words.Add(name.Substring(start, end - start).ToLowerInvariant());
            start = -1;
        }
    }
}
