using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace LlmCache.Stores.Tests;

/// <summary>Runs LlmCache.Stores.TestChild as a real second process, through the same <c>dotnet</c> host as the tests.</summary>
internal static class ChildProcess
{
    private static readonly string ChildDll = Path.Combine(AppContext.BaseDirectory, "LlmCache.Stores.TestChild.dll");

    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        Assert.True(File.Exists(ChildDll), $"The child process {ChildDll} was not built next to the tests.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ChildDll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
    }

    /// <summary>Runs the child to its end and returns its standard output; fails the test on a non-zero exit.</summary>
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using Process process = Start(environment, args);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(90))) != exited)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The child process '{string.Join(' ', args)}' did not finish within 90 s.");
        }

        Assert.True(process.ExitCode == 0, $"The child process '{string.Join(' ', args)}' exited with {process.ExitCode}: {await output}{await error}");
        return (await output).Trim();
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
