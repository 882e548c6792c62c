using System;
using System.Net;
using System.Net.Sockets;

namespace LlmCache.Testing.Servers;

/// <summary>Picks free loopback ports.</summary>
public static class FreePorts
{
    /// <summary>A port free on 127.0.0.1 now.</summary>
    public static int Any()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// A loopback port that refuses connections for as long as the result is not disposed: a socket holds it bound,
    /// exclusively, without listening. A port that was only probed free can meanwhile be taken by a server another
    /// test starts (a client sent there then waits on that server) or, in the ephemeral range, be given as the source
    /// port of a client connecting to it, which then connects to itself.
    /// </summary>
    public static RefusingPort Refusing()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ExclusiveAddressUse = true };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new RefusingPort(socket);
    }

    /// <summary>
    /// A port that is free together with port + 10000, a Redis Cluster node's bus port. Both stay below 32768, where
    /// the kernel's ephemeral range (the ports of outgoing connections) begins, so no client socket takes the bus
    /// port between this probe and the node's start. Still not reserved: start the node, and pick again if it fails.
    /// </summary>
    public static int WithClusterBus()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(10000, 22000);
            if (IsFree(port) && IsFree(port + 10000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port pair (p, p + 10000) was found for a Redis Cluster node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A loopback port held bound and not listening, so every connection to it is refused (<see cref="FreePorts.Refusing"/>).</summary>
public sealed class RefusingPort(Socket socket) : IDisposable
{
    /// <summary>The port.</summary>
    public int Port { get; } = ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>Releases the port.</summary>
    public void Dispose() => socket.Dispose();
}
