using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Redis.Tests.Servers;

namespace LlmCache.Redis.Tests;

/// <summary>The test servers are the processes the tests started, not whatever answers on their port.</summary>
public sealed class ServerIdentityTests
{
    [Fact]
    public async Task A_foreign_listener_that_answers_like_redis_on_the_port_is_not_taken_for_the_started_server()
    {
        using var foreign = new TcpListener(IPAddress.Loopback, 0);
        foreign.Start();
        int port = ((IPEndPoint)foreign.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        Task answering = AnswerPongAsync(foreign, stop.Token);

        // redis-server cannot bind the port and exits; the probe must not believe the impostor's PONG meanwhile.
        InvalidOperationException failure = Assert.Throws<InvalidOperationException>(() => new RedisServer(password: null, port: port, extraArguments: []));
        Assert.Contains("exited", failure.Message, StringComparison.Ordinal);

        await stop.CancelAsync();
        foreign.Stop();
        await Record.ExceptionAsync(() => answering);

        // Left to pick its port, a server starts, and the probe finds it is that process that listens.
        using var server = new RedisServer();
        Assert.True(server.IsRunning);
    }

    private static async Task AnswerPongAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
            NetworkStream stream = client.GetStream();
            byte[] buffer = new byte[256];
            _ = await stream.ReadAsync(buffer, cancellationToken);
            await stream.WriteAsync("+PONG\r\n"u8.ToArray(), cancellationToken);
        }
    }
}
