using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>Runs a scenario under a hard time limit and prints its figures where the test log shows them.</summary>
public static class Scenario
{
    private static readonly string FiguresFile = Path.Combine(AppContext.BaseDirectory, "chaos-figures.txt");

    /// <summary>
    /// Runs <paramref name="body"/>; past <paramref name="limit"/> its token is cancelled and the test fails, so a
    /// scenario can never hang the test command.
    /// </summary>
    public static async Task RunAsync(TimeSpan limit, Func<CancellationToken, Task> body)
    {
        using var cancellation = new CancellationTokenSource();
        Task run = body(cancellation.Token);
        try
        {
            await run.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            await cancellation.CancelAsync();
            throw new TimeoutException($"The scenario did not finish within its hard limit of {limit.TotalSeconds} s.");
        }
    }

    /// <summary>Writes a figures block to the test's output and to the console.</summary>
    public static void Print(ITestOutputHelper output, string title, IEnumerable<string> lines)
    {
        var block = new System.Text.StringBuilder();
        block.AppendLine($"==== chaos: {title} ====");
        foreach (string line in lines)
        {
            block.Append("  ").AppendLine(line);
        }

        string text = block.ToString().TrimEnd();
        output.WriteLine(text);
        Console.WriteLine(text);

        // The project prints this file after the test run, where the default verbosity of dotnet test shows it.
        lock (FiguresFile)
        {
            File.AppendAllText(FiguresFile, text + Environment.NewLine);
        }
    }
}
