using System;
using System.Globalization;
using LlmCache.Redis.Tests.Servers;
using StackExchange.Redis;

namespace LlmCache.Benchmarks;

/// <summary>
/// The redis-server of a benchmark run. Program.cs starts one for the whole run and hands its port to
/// the benchmark processes, so every case reads from the same long-running server rather than from a fresh one of
/// its own, whose start-up state would differ from case to case.
/// </summary>
internal static class BenchmarkRedis
{
    private const string PortVariable = "LLMCACHE_BENCH_REDIS_PORT";

    /// <summary>Starts the run's server; the benchmark processes inherit its port through the environment.</summary>
    public static RedisServer StartForRun()
    {
        var server = new RedisServer();
        Environment.SetEnvironmentVariable(PortVariable, server.Port.ToString(CultureInfo.InvariantCulture));
        return server;
    }

    /// <summary>Connects to the run's server, or starts one that the caller owns when there is none (a single case run alone).</summary>
    public static ConnectionMultiplexer Connect(out RedisServer? ownServer)
    {
        ownServer = null;
        var configuration = new ConfigurationOptions { AbortOnConnectFail = false, ConnectTimeout = 5000 };
        if (int.TryParse(Environment.GetEnvironmentVariable(PortVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            configuration.EndPoints.Add("127.0.0.1", port);
        }
        else
        {
            ownServer = new RedisServer();
            configuration = ownServer.CreateConfiguration();
        }

        return ConnectionMultiplexer.Connect(configuration);
    }
}
