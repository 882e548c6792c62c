using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>One chat turn of the request's content.</summary>
public sealed record Turn(string Role, string Text);

/// <summary>A tool definition: its name, description and JSON schema.</summary>
public sealed record ToolSpec(string Name, string Description, string JsonSchema);

/// <summary>
/// The same ~4.4 KB chat request for both sides: a system prompt, three turns and two tools, written here as records
/// and passed to LlmCache and to each peer as the same Microsoft.Extensions.AI messages and options.
/// </summary>
public static class ChatRequest
{
    public const string Model = "gpt-4o-mini";
    public const float Temperature = 0.2f;
    public const int MaxTokens = 512;

    public static readonly string SystemPrompt =
        "You are a careful travel assistant for a booking company. Answer in plain English, in at most three short paragraphs. " +
        "Always check the user's dates against the airline's published schedule before suggesting a flight, and say which " +
        "assumptions you made when the schedule is ambiguous. Never invent prices; when a price is needed, call the price tool. " +
        string.Concat(Enumerable.Repeat("Prefer direct flights, then one stop with at least 90 minutes to connect; mention baggage rules. ", 22));

    public static readonly Turn[] Turns =
    {
        new("user", "I need to fly from Lisbon to Tokyo in the second week of March, leaving on a weekday, returning ten days later. " + string.Concat(Enumerable.Repeat("I prefer morning departures and an aisle seat. ", 6))),
        new("assistant", "There are three reasonable routings: via Frankfurt, via Istanbul, or via Dubai. " + string.Concat(Enumerable.Repeat("Each has one stop; the Istanbul connection is the shortest on most weekdays. ", 5))),
        new("user", "Which of those has the best baggage allowance for two checked bags, and what would it cost on the 11th? " + string.Concat(Enumerable.Repeat("Please include the return on the 21st. ", 4))),
    };

    public static readonly ToolSpec[] Tools =
    {
        new("get_price", "Looks up the current fare for a routing, cabin and date, with taxes and baggage fees included.",
            """{"type":"object","properties":{"from":{"type":"string","description":"IATA code of the origin"},"to":{"type":"string","description":"IATA code of the destination"},"date":{"type":"string","format":"date"},"cabin":{"type":"string","enum":["economy","premium","business"]},"bags":{"type":"integer","minimum":0,"maximum":4}},"required":["from","to","date"]}"""),
        new("get_schedule", "Returns the published schedule of an airline between two airports for one day, with flight numbers and times.",
            """{"type":"object","properties":{"airline":{"type":"string","description":"IATA code of the airline"},"from":{"type":"string"},"to":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["airline","from","to","date"]}"""),
    };

    public static int ContentBytes =>
        Encoding.UTF8.GetByteCount(SystemPrompt) + Turns.Sum(t => Encoding.UTF8.GetByteCount(t.Text)) +
        Tools.Sum(t => Encoding.UTF8.GetByteCount(t.Name + t.Description + t.JsonSchema));

    /// <summary>The content as Microsoft.Extensions.AI messages.</summary>
    public static List<ChatMessage> PeerMessages() =>
        new[] { new ChatMessage(ChatRole.System, SystemPrompt) }
            .Concat(Turns.Select(t => new ChatMessage(new ChatRole(t.Role), t.Text)))
            .ToList();

    /// <summary>The options, with the two tools as functions that declare the same schemas.</summary>
    public static ChatOptions PeerOptions() => new()
    {
        ModelId = Model,
        Temperature = Temperature,
        MaxOutputTokens = MaxTokens,
        Tools = Tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, System.Text.Json.JsonDocument.Parse(t.JsonSchema).RootElement.Clone())).ToList(),
    };
}
