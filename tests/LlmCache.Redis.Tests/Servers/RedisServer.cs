using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using LlmCache.Testing.Servers;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests.Servers;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 at a free port, without persistence (<c>--save '' --appendonly no</c>),
/// killed on dispose. <see cref="Stop"/> and <see cref="Start"/> restart it on the same port for fault tests.
/// Use it as an xunit class fixture, or create one with settings (a password, cluster mode).
/// </summary>
public class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _binary;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly Lazy<ConnectionMultiplexer> _connection;
    private ServerProcess? _process;

    /// <summary>Starts a server without a password.</summary>
    public RedisServer()
        : this(password: null, port: null, extraArguments: [])
    {
    }

    /// <summary>Starts a server.</summary>
    /// <param name="password">The server's <c>requirepass</c>, or <c>null</c>.</param>
    /// <param name="port">The port, or <c>null</c> for a free one (another is tried when the server cannot bind it).</param>
    /// <param name="extraArguments">More <c>redis-server</c> arguments; <c>{dir}</c> stands for the server's own temporary folder.</param>
    protected internal RedisServer(string? password, int? port, IReadOnlyList<string> extraArguments)
    {
        _binary = ServerBinaries.Find("redis-server");
        Password = password;
        Directory = System.IO.Directory.CreateTempSubdirectory("llmcache-redis-").FullName;
        _extraArguments = extraArguments;
        _connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(CreateConfiguration(allowAdmin: true)));

        for (int attempt = 1; ; attempt++)
        {
            Port = port ?? FreePorts.Any();
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (port is null && attempt < 5)
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

    /// <summary>The loopback port.</summary>
    public int Port { get; private set; }

    /// <summary>The <c>requirepass</c>, or <c>null</c>.</summary>
    public string? Password { get; }

    /// <summary>The server's working folder.</summary>
    public string Directory { get; }

    /// <summary>"127.0.0.1:port".</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A connection for inspecting the server directly (admin commands allowed), opened on first use.</summary>
    public IConnectionMultiplexer Connection => _connection.Value;

    /// <summary>The server as a store endpoint: host, port and the password, without the environment.</summary>
    public RedisCacheStoreOptions StoreOptions(string? keyPrefix = null) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Password = Password,
        UseEnvironment = false,
        KeyPrefix = keyPrefix ?? UniquePrefix(),
    };

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N").Substring(0, 12) + ":";

    /// <summary>Configuration for a StackExchange.Redis connection to this server.</summary>
    public ConfigurationOptions CreateConfiguration(bool allowAdmin = false)
    {
        var configuration = new ConfigurationOptions { Password = Password, AllowAdmin = allowAdmin, AbortOnConnectFail = false, ConnectTimeout = 5000 };
        configuration.EndPoints.Add("127.0.0.1", Port);
        return configuration;
    }

    /// <summary>Starts the process (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        // Reap a process that ended on its own before starting its successor.
        Stop();
        var start = new ProcessStartInfo(_binary) { WorkingDirectory = Directory };
        foreach (string argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        _process = ServerProcess.Start(start, $"redis-server on port {Port}", StartTimeout, Port, AnswersPing);
    }

    /// <summary>Kills the process; the port stays reserved for <see cref="Start"/>.</summary>
    public void Stop()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <summary>
    /// Freezes the process (<c>SIGSTOP</c>): its connections stay open and nothing is answered, as with a server
    /// stuck in a long command or a swap storm. <see cref="Resume"/> lets it go on.
    /// </summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a <see cref="Pause"/>d process go on (<c>SIGCONT</c>).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Kills the server and deletes its folder.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the server.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }

        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private void Signal(string signal)
    {
        int pid = _process?.ProcessId ?? throw new InvalidOperationException("The server is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with exit code {kill.ExitCode}.");
        }
    }

    private IEnumerable<string> Arguments()
    {
        yield return "--port";
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--bind";
        yield return "127.0.0.1";
        yield return "--save";
        yield return string.Empty;
        yield return "--appendonly";
        yield return "no";
        yield return "--daemonize";
        yield return "no";
        yield return "--dir";
        yield return Directory;
        if (Password is not null)
        {
            yield return "--requirepass";
            yield return Password;
        }

        foreach (string argument in _extraArguments)
        {
            yield return argument.Replace("{dir}", Directory, StringComparison.Ordinal);
        }
    }

    private bool AnswersPing()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            client.ReceiveTimeout = 1000;
            NetworkStream stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            byte[] reply = new byte[64];
            int read = stream.Read(reply, 0, reply.Length);
            string text = Encoding.ASCII.GetString(reply, 0, read);

            // With requirepass, an unauthenticated PING is answered with NOAUTH: the server is up.
            return text.StartsWith("+PONG", StringComparison.Ordinal) || text.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (Exception)
        {
            // Refused, reset, timed out, closed: whatever the failure, the server does not answer yet.
            return false;
        }
    }
}
