using System.Linq;
using LlmCache.Redis.Tests.Support;

namespace LlmCache.Chaos.Tests;

/// <summary>One line about what the runtime and its stores logged during a scenario.</summary>
public static class LogSummary
{
    public static string Of(ListLoggerProvider logs)
    {
        LogRecord[] records = logs.Records.ToArray();
        int breakerOpened = records.Count(r => r.Message.Contains("circuit breaker is open", System.StringComparison.Ordinal));
        int unreadable = records.Count(r => r.Message.Contains("unreadable entry", System.StringComparison.Ordinal));
        string levels = string.Join(", ", records.GroupBy(r => r.Level).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        return $"log: {records.Length} events ({(levels.Length == 0 ? "none" : levels)}); circuit breaker opened {breakerOpened} times; unreadable entries found and deleted {unreadable}";
    }
}
