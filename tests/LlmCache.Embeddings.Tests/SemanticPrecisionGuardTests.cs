using System;

namespace LlmCache.Embeddings.Tests;

public sealed class SemanticPrecisionGuardTests
{
    [Theory]
    [InlineData("Give me 3 ideas for dinner.", "Give me three ideas for dinner.")]
    [InlineData("Pay 1,000 dollars.", "Pay 1000 dollars.")]
    [InlineData("Set an alarm for 7 pm.", "Set an alarm for 7pm.")]
    [InlineData("Set an alarm for 7 pm.", "Set an alarm for 19:00.")]
    [InlineData("Who was the first king?", "Who was the 1st king?")]
    [InlineData("Plan a twenty-five minute workout.", "Plan a 25 minute workout.")]
    [InlineData("How do I get from London to Paris by train?", "What's the train route from london to Paris?")]
    [InlineData("Why doesn't my code compile?", "Why does my code not compile?")]
    [InlineData("Translate \"good morning\" into Japanese.", "How do you say \"good morning\" in Japanese?")]
    [InlineData("What is the colour of the sky?", "What is the color of the sky?")]
    [InlineData("Can you explain recursion?", "Could you explain recursion?")]
    [InlineData("Is it better to buy or rent a flat?", "Is it better to rent or buy a flat?")]
    [InlineData("Can I use Wi-Fi on the plane?", "can i use wifi on the plane")]
    [InlineData("How did Napoleon die?", "What was the cause of Napoleon's death?")]
    [InlineData("Tom and I want a joke.", "I and Tom want a joke.")]
    public void Prompts_that_agree_on_what_the_guard_checks_are_accepted(string cached, string text)
    {
        Assert.Equal(SemanticGuardRejection.None, SemanticPrecisionGuard.Check(cached, text));
        Assert.True(SemanticPrecisionGuard.Accepts(text, cached));
    }

    [Theory]
    [InlineData("What is 17 times 23?", "What is 17 times 24?", SemanticGuardRejection.Number)]
    [InlineData("What is 17 times 23?", "What is 23 times 17?", SemanticGuardRejection.Number)]
    [InlineData("Write a four line poem.", "Write a six line poem.", SemanticGuardRejection.Number)]
    [InlineData("Book a table for 7 pm.", "Book a table for 7 am.", SemanticGuardRejection.Number)]
    [InlineData("Remind me at noon.", "Remind me at midnight.", SemanticGuardRejection.Number)]
    [InlineData("Who was the second emperor?", "Who was the fifth emperor?", SemanticGuardRejection.Number)]
    [InlineData("What caused World War I?", "What caused World War II?", SemanticGuardRejection.Number)]
    [InlineData("Who was Louis XIV?", "Who was Louis XVI?", SemanticGuardRejection.Number)]
    [InlineData("Is 3.5 more than 3.25?", "Is 3.5 more than 3.75?", SemanticGuardRejection.Number)]
    [InlineData("Should I invest in stocks?", "Should I not invest in stocks?", SemanticGuardRejection.Negation)]
    [InlineData("Coffee with sugar, please.", "Coffee without sugar, please.", SemanticGuardRejection.Negation)]
    [InlineData("Why do people like jazz?", "Why don't people like jazz?", SemanticGuardRejection.Negation)]
    [InlineData("Is the driver compatible with Linux?", "Is the driver incompatible with Linux?", SemanticGuardRejection.Negation)]
    [InlineData("Define the word 'sanction'.", "Define the word 'function'.", SemanticGuardRejection.QuotedText)]
    [InlineData("Search for “disk full” errors.", "Search for “disk quota” errors.", SemanticGuardRejection.QuotedText)]
    [InlineData("Who founded Microsoft?", "Who founded Apple?", SemanticGuardRejection.Name)]
    [InlineData("What does getUserById return?", "What does getUserByName return?", SemanticGuardRejection.Name)]
    [InlineData("Why is max_retries ignored?", "Why is max_timeout ignored?", SemanticGuardRejection.Name)]
    [InlineData("Explain the --force flag.", "Explain the --force-with-lease flag.", SemanticGuardRejection.Name)]
    [InlineData("Is SQL hard to learn?", "Is CSS hard to learn?", SemanticGuardRejection.Name)]
    [InlineData("Explain the pros of remote work.", "Explain the cons of remote work.", SemanticGuardRejection.Opposite)]
    [InlineData("What is the fastest route home?", "What is the slowest route home?", SemanticGuardRejection.Opposite)]
    [InlineData("How do I upload photos?", "How do I download photos?", SemanticGuardRejection.Opposite)]
    [InlineData("Which files does the build include?", "Which files does the build exclude?", SemanticGuardRejection.Opposite)]
    [InlineData("How do I maximize the window?", "How do I minimize the window?", SemanticGuardRejection.Opposite)]
    [InlineData("Should I water the lawn every day?", "Should I water the lawn every week?", SemanticGuardRejection.SwappedWord)]
    [InlineData("How do I make the text bold?", "How do I make the text italic?", SemanticGuardRejection.SwappedWord)]
    public void Prompts_that_differ_in_what_embeddings_miss_are_rejected(string cached, string text, SemanticGuardRejection expected)
    {
        Assert.Equal(expected, SemanticPrecisionGuard.Check(cached, text));
        Assert.Equal(expected, SemanticPrecisionGuard.Check(text, cached));
        Assert.False(SemanticPrecisionGuard.Accepts(cached, text));
    }

    [Fact]
    public void Identical_and_empty_texts_are_accepted_and_null_is_rejected()
    {
        Assert.True(SemanticPrecisionGuard.Accepts("What is 2 + 2?", "What is 2 + 2?"));
        Assert.True(SemanticPrecisionGuard.Accepts("", ""));
        Assert.Throws<ArgumentNullException>(() => SemanticPrecisionGuard.Check(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => SemanticPrecisionGuard.Check("x", null!));
    }
}
