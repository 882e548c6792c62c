using System;
using System.Collections.ObjectModel;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;

namespace LlmCache.Testing.Servers;

/// <summary>
/// A test server that node runs from an npm package in <c>.tools/</c> (s3rver, azurite): on 127.0.0.1 at a free
/// port that stays the same across <see cref="Stop"/> / <see cref="Start"/>, with its data in a temporary folder
/// that outlives a restart and goes with <see cref="Dispose"/>. When node or the package is missing, creating the
/// server throws with the install instruction, so the tests fail; they never pass or skip silently.
/// </summary>
public abstract class NodeServer : IDisposable
{
    private readonly string _package;
    private readonly string _version;
    private readonly string _tests;
    private readonly string _script;
    private readonly TimeSpan _startTimeout;
    private ServerProcess? _process;

    /// <summary>Finds the package's script and makes the data folder; the subclass then calls <see cref="StartOnFreePort"/>.</summary>
    /// <param name="repositoryRoot">The repository whose <c>.tools/</c> holds the package.</param>
    /// <param name="package">The npm package, installed into <c>.tools/{package}</c>.</param>
    /// <param name="version">Its version, for the install instruction.</param>
    /// <param name="script">The script inside the package that node runs.</param>
    /// <param name="tests">Which tests need it, for the messages ("S3").</param>
    /// <param name="startTimeout">How long the server may take to accept connections.</param>
    protected NodeServer(string repositoryRoot, string package, string version, string script, string tests, TimeSpan startTimeout)
    {
        _package = package;
        _version = version;
        _tests = tests;
        _startTimeout = startTimeout;
        _script = NodeServers.FindScript(repositoryRoot, package, version, script, tests);
        DataDirectory = Path.Combine(Path.GetTempPath(), $"llmcache-{package}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(DataDirectory);
    }

    /// <summary>The port the server listens on; the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>Where the server keeps its data.</summary>
    protected string DataDirectory { get; }

    /// <summary>Starts the server process and waits until it accepts connections.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"{_package} is already running.");
        }

        // Reap a process that ended on its own before starting its successor.
        Stop();

        var start = new ProcessStartInfo("node");
        AddArguments(start.ArgumentList, _script);
        try
        {
            _process = ServerProcess.Start(start, $"{_package} on port {Port}", _startTimeout, Port, () => NodeServers.AcceptsConnections(Port));
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"{_tests} tests need node on PATH to run {_package} {_version}, and it could not be started ({exception.Message}). Install Node.js (apt-get install -y nodejs npm), then from the repository root: tests/servers/install.sh {_package}",
                exception);
        }
    }

    /// <summary>Kills the server process (its data stays for <see cref="Start"/>).</summary>
    public void Stop()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The arguments of node: <paramref name="script"/> and the server's own options.</summary>
    protected abstract void AddArguments(Collection<string> arguments, string script);

    /// <summary>Picks a free port and starts there; disposes the server when it cannot start.</summary>
    protected void StartOnFreePort()
    {
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePorts.Any();
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && !NodeServers.IsNodeMissing())
            {
                // Another process took the port between the probe and the start: try another.
            }
            catch
            {
                Dispose();
                throw;
            }
        }
    }
}
