using System;
using System.Collections;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Proxy.Tests;

/// <summary>A command run to its end (dotnet publish), or the published proxy run until disposed, with its output kept.</summary>
public sealed class NativeProxyProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NativeProxyProcess(Process process) => _process = process;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The process's exit code once it has ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="fileName"/> without the MSBuild variables <c>dotnet test</c> sets (they would point a nested build at the test host's MSBuild).</summary>
    public static NativeProxyProcess Start(string fileName, string[] arguments, string workingDirectory, params (string Name, string Value)[] environment)
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
            if (((string)variable.Key).StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove((string)variable.Key);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var run = new NativeProxyProcess(process);
        process.OutputDataReceived += (_, e) => run.Append(e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for the process to end; kills it and throws after <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Dispose();
            throw new TimeoutException($"{_process.StartInfo.FileName} did not end within {timeout}:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>The address the proxy printed ("CachingProxy listening on http://127.0.0.1:PORT"), once it did.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        Task finished = await Task.WhenAny(_listening.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        return finished == _listening.Task
            ? await _listening.Task
            : throw new InvalidOperationException($"The proxy did not say it was listening:{Environment.NewLine}{Output}");
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (Regex.Match(line, @"listening on (http://[^ ,]+)") is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }
}
