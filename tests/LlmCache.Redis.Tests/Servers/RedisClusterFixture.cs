using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using LlmCache.Testing.Servers;
using StackExchange.Redis;

namespace LlmCache.Redis.Tests.Servers;

/// <summary>
/// A real 3-master Redis Cluster on loopback ports: three <see cref="RedisServer"/>s with <c>cluster-enabled yes</c>
/// and a <c>cluster-config-file</c> in each one's temporary folder, joined by
/// <c>redis-cli --cluster create … --cluster-yes</c>, ready once every node reports <c>cluster_state:ok</c>.
/// </summary>
public sealed class RedisClusterFixture : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly RedisServer[] _nodes;
    private readonly Lazy<ConnectionMultiplexer> _connection;

    /// <summary>Starts and joins the cluster.</summary>
    public RedisClusterFixture()
    {
        string cli = ServerBinaries.Find("redis-cli");
        _nodes = new RedisServer[3];
        try
        {
            for (int i = 0; i < _nodes.Length; i++)
            {
                _nodes[i] = StartNode();
            }

            string[] create = ["--cluster", "create", .. _nodes.Select(n => n.EndPoint), "--cluster-yes"];
            (int exitCode, string output) = Run(cli, create);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed with exit code {exitCode}:{Environment.NewLine}{output}");
            }

            WaitUntilReady(cli);
        }
        catch
        {
            Dispose();
            throw;
        }

        _connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(Configuration + ",allowAdmin=true,connectTimeout=5000"));
    }

    /// <summary>The nodes.</summary>
    public RedisServer[] Nodes => _nodes;

    /// <summary>A StackExchange.Redis configuration string naming every node.</summary>
    public string Configuration => string.Join(",", _nodes.Select(n => n.EndPoint));

    /// <summary>A connection for inspecting the cluster directly (admin commands allowed), opened on first use.</summary>
    public IConnectionMultiplexer Connection => _connection.Value;

    /// <summary>The cluster as a store endpoint, without the environment.</summary>
    public RedisCacheStoreOptions StoreOptions(string? keyPrefix = null) => new()
    {
        Configuration = Configuration,
        UseEnvironment = false,
        KeyPrefix = keyPrefix ?? RedisServer.UniquePrefix(),
    };

    /// <summary>Stops every node.</summary>
    public void Dispose()
    {
        if (_connection is { IsValueCreated: true })
        {
            _connection.Value.Dispose();
        }

        foreach (RedisServer? node in _nodes)
        {
            node?.Dispose();
        }
    }

    /// <summary>A node on a port pair picked free; another pair when the node cannot bind (someone took one meanwhile).</summary>
    private static RedisServer StartNode()
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new RedisServer(
                    password: null,
                    port: FreePorts.WithClusterBus(),
                    extraArguments: ["--cluster-enabled", "yes", "--cluster-config-file", "{dir}/nodes.conf", "--cluster-node-timeout", "5000"]);
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // The node exited (address in use) or another server answered on the port: try another pair.
            }
        }
    }

    private void WaitUntilReady(string cli)
    {
        var clock = Stopwatch.StartNew();
        string last = string.Empty;
        while (clock.Elapsed < ReadyTimeout)
        {
            bool allOk = true;
            foreach (RedisServer node in _nodes)
            {
                (_, last) = Run(cli, ["-h", "127.0.0.1", "-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]);
                allOk &= last.Contains("cluster_state:ok", StringComparison.Ordinal);
            }

            if (allOk)
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException($"The Redis Cluster did not reach cluster_state:ok within {ReadyTimeout.TotalSeconds} s:{Environment.NewLine}{last}");
    }

    private static (int ExitCode, string Output) Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within 60 s.");
        }

        return (process.ExitCode, output + error.Result);
    }
}
