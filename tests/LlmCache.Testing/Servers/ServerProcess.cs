using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
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
    /// Starts <paramref name="start"/> (its output redirected) and returns once <paramref name="isReady"/> is true
    /// and the process itself listens on <paramref name="port"/>: a port picked free a moment ago is not reserved,
    /// and a server answering on it may be another one. A process that cannot bind the port exits, and this throws.
    /// </summary>
    /// <param name="start">The process; standard output and error are redirected here.</param>
    /// <param name="name">The server's name in error messages.</param>
    /// <param name="timeout">How long the server may take to answer.</param>
    /// <param name="port">The loopback port the process must own a listening socket on.</param>
    /// <param name="isReady">Whether the server answers; polled every 20 ms.</param>
    /// <exception cref="InvalidOperationException">The process exited, or did not answer in time (it is then killed); the message holds its output.</exception>
    public static ServerProcess Start(ProcessStartInfo start, string name, TimeSpan timeout, int port, Func<bool> isReady)
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

            if (server.ListensOn(port) && isReady())
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

    /// <summary>
    /// Whether this process owns a socket listening on 127.0.0.1 (or any address) at <paramref name="port"/>, from
    /// <c>/proc/net/tcp</c> and the process's file descriptors. Where <c>/proc</c> does not exist it cannot say: <c>true</c>.
    /// </summary>
    public bool ListensOn(int port)
    {
        const string Table = "/proc/net/tcp";
        if (!File.Exists(Table))
        {
            return true;
        }

        try
        {
            string[] locals = [$"0100007F:{port:X4}", $"00000000:{port:X4}"];
            var sockets = new HashSet<string>(StringComparer.Ordinal);
            foreach (string line in File.ReadLines(Table).Skip(1))
            {
                // sl local_address rem_address st … inode: a listening socket has state 0A.
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && locals.Contains(fields[1], StringComparer.Ordinal))
                {
                    sockets.Add($"socket:[{fields[9]}]");
                }
            }

            if (sockets.Count == 0)
            {
                return false;
            }

            string descriptors = $"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/fd";
            return Directory.EnumerateFiles(descriptors).Any(fd => new FileInfo(fd).LinkTarget is { } target && sockets.Contains(target));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process ended while we looked: it does not listen.
            return false;
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
