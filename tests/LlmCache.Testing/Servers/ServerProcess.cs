using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace LlmCache.Testing.Servers;

/// <summary>
/// A server that a test runs as a child process (redis-server, s3rver): started and waited for until it answers,
/// its output kept for failure messages, and killed with its whole process tree.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private const int MaxOutputChars = 64 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process) => _process = process;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the process wrote so far (at most the first 64 K characters).</summary>
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

    /// <summary>
    /// Starts <paramref name="start"/> (its output redirected) and returns once <paramref name="isReady"/> is true.
    /// </summary>
    /// <param name="start">The process; standard output and error are redirected here.</param>
    /// <param name="name">The server's name in error messages.</param>
    /// <param name="timeout">How long the server may take to answer.</param>
    /// <param name="isReady">Whether the server answers; polled every 20 ms.</param>
    /// <exception cref="InvalidOperationException">The process exited, or did not answer in time (it is then killed); the message holds its output.</exception>
    public static ServerProcess Start(ProcessStartInfo start, string name, TimeSpan timeout, Func<bool> isReady)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            // The program is missing or not executable: there is nothing to kill, only the handle to release.
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                int exitCode = process.ExitCode;
                server.Dispose();
                throw new InvalidOperationException($"{name} exited with code {exitCode} before it answered:{Environment.NewLine}{server.Output}");
            }

            if (isReady())
            {
                return server;
            }

            Thread.Sleep(20);
        }

        server.Dispose();
        throw new InvalidOperationException($"{name} did not answer within {timeout.TotalSeconds} s:{Environment.NewLine}{server.Output}");
    }

    /// <summary>Kills the process and its children, and waits until they are gone.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit();
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
            if (_output.Length < MaxOutputChars)
            {
                _output.AppendLine(line);
            }
        }
    }
}
