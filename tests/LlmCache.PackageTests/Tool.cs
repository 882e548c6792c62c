using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.PackageTests;

/// <summary>What a finished command printed (standard output and error, interleaved) and how it ended.</summary>
internal sealed record ToolResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The whole story, for a failure message.</summary>
    public override string ToString() =>
        $"`{CommandLine}` exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s. Its output:{Environment.NewLine}{Output}";
}

/// <summary>Runs a command line tool (dotnet, the published app) bounded by a timeout.</summary>
internal static class Tool
{
    /// <summary>The <c>dotnet</c> host that runs these tests, so the SDK under test is the one that built them.</summary>
    public static string Dotnet { get; } = FindDotnet();

    /// <summary>
    /// Runs <paramref name="fileName"/> to its end. The environment is this process's, less the MSBuild variables
    /// <c>dotnet test</c> sets (they would point a nested build at the test host's MSBuild), plus <paramref name="environment"/>.
    /// Throws when the command outlives <paramref name="timeout"/>, with what it printed so far.
    /// </summary>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        string commandLine = Path.GetFileName(fileName) + " " + string.Join(' ', arguments);
        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        if (!process.Start())
        {
            throw new InvalidOperationException($"`{commandLine}` did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
                lock (output)
                {
                    throw new TimeoutException($"`{commandLine}` did not finish within {timeout.TotalSeconds:F0} s and was killed. Its output so far:{Environment.NewLine}{output}");
                }
            }
        }

        // The exit is in; wait briefly for the last lines still in the pipes.
        process.WaitForExit(TimeSpan.FromSeconds(10));
        clock.Stop();
        lock (output)
        {
            return new ToolResult(commandLine, process.ExitCode, output.ToString(), clock.Elapsed);
        }
    }

    private static string FindDotnet()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
