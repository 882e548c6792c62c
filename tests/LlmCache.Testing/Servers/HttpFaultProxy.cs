using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Testing.Servers;

/// <summary>What <see cref="HttpFaultProxy"/> did with one request.</summary>
public enum InjectedFault
{
    /// <summary>Forwarded untouched.</summary>
    None,

    /// <summary>Answered <c>503 Slow Down</c> without reaching the server.</summary>
    ServiceUnavailable,

    /// <summary>The connection reset (closed with linger 0, so the client gets a TCP RST).</summary>
    ConnectionReset,

    /// <summary>Held for the stall time, then forwarded (the client has usually given up by then).</summary>
    Stall,
}

/// <summary>
/// A loopback HTTP/1.1 proxy in front of a test server that injects faults into a share of the requests: a 503, a
/// connection reset or a stall, chosen by a seeded random source. Every request gets a connection of its own (the
/// proxy rewrites <c>Connection</c> to <c>close</c> both ways), so a fault hits exactly one request.
/// </summary>
public sealed class HttpFaultProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] SlowDown = ServiceUnavailableResponse();

    private readonly TcpListener _listener;
    private readonly int _upstreamPort;
    private readonly double _faultRate;
    private readonly TimeSpan _stall;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly int[] _counts = new int[4];
    private readonly Task _accepting;

    /// <summary>Starts a proxy on a free 127.0.0.1 port, forwarding to 127.0.0.1:<paramref name="upstreamPort"/>.</summary>
    /// <param name="upstreamPort">The server's port.</param>
    /// <param name="faultRate">The share of requests that get a fault (0 to 1), split evenly between the three kinds.</param>
    /// <param name="seed">The seed of the fault choice.</param>
    /// <param name="stall">How long a stalled request is held.</param>
    public HttpFaultProxy(int upstreamPort, double faultRate, int seed, TimeSpan stall)
    {
        _upstreamPort = upstreamPort;
        _faultRate = faultRate;
        _stall = stall;
        _random = new Random(seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The proxy's URL, <c>http://127.0.0.1:port</c>.</summary>
    public string EndpointUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Whether faults are injected; while off every request is forwarded.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many requests got <paramref name="fault"/>.</summary>
    public int Count(InjectedFault fault) => Volatile.Read(ref _counts[(int)fault]);

    /// <summary>How many requests the proxy has seen.</summary>
    public int Requests => Count(InjectedFault.None) + Count(InjectedFault.ServiceUnavailable) + Count(InjectedFault.ConnectionReset) + Count(InjectedFault.Stall);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (Socket socket in _open.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // The accept loop ends by cancellation.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(Socket client)
    {
        Socket? upstream = null;
        _open.TryAdd(client, 0);
        try
        {
            client.NoDelay = true;
            (byte[] head, int headLength, int read) = await ReadHeadAsync(client);
            if (headLength < 0)
            {
                return;
            }

            InjectedFault fault = Choose();
            Interlocked.Increment(ref _counts[(int)fault]);
            switch (fault)
            {
                case InjectedFault.ServiceUnavailable:
                    await client.SendAsync(SlowDown, SocketFlags.None, _stop.Token);
                    client.Shutdown(SocketShutdown.Send);
                    await DrainAsync(client);
                    return;
                case InjectedFault.ConnectionReset:
                    client.LingerState = new LingerOption(enable: true, seconds: 0);
                    return;
                case InjectedFault.Stall:
                    await Task.Delay(_stall, _stop.Token);
                    break;
            }

            upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _open.TryAdd(upstream, 0);
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _upstreamPort), _stop.Token);
            await upstream.SendAsync(CloseAfterResponse(head, headLength), SocketFlags.None, _stop.Token);
            if (read > headLength)
            {
                await upstream.SendAsync(head.AsMemory(headLength, read - headLength), SocketFlags.None, _stop.Token);
            }

            // The request body (if any) flows up while the response flows down; the server closes after the response.
            Task up = PipeAsync(client, upstream);
            await PipeAsync(upstream, client);
            client.Shutdown(SocketShutdown.Send);
            await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(1)));
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client gave up (a timeout after a stall), or the proxy is stopping: the request simply ends.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            if (upstream is not null)
            {
                _open.TryRemove(upstream, out _);
                upstream.Dispose();
            }
        }
    }

    private InjectedFault Choose()
    {
        lock (_random)
        {
            double roll = _random.NextDouble();
            if (!Enabled || roll >= _faultRate)
            {
                return InjectedFault.None;
            }

            return (InjectedFault)(1 + (int)(roll / _faultRate * 3));
        }
    }

    /// <summary>Reads up to the end of the request head; returns the head's length, or -1 if the client closed first.</summary>
    private async Task<(byte[] Buffer, int HeadLength, int Read)> ReadHeadAsync(Socket client)
    {
        byte[] buffer = new byte[MaxHeadBytes];
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await client.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return (buffer, -1, read);
            }

            read += n;
            int end = buffer.AsSpan(0, read).IndexOf(HeadEnd);
            if (end >= 0)
            {
                return (buffer, end + HeadEnd.Length, read);
            }
        }

        return (buffer, -1, read);
    }

    /// <summary>The request head with its <c>Connection</c> header replaced by <c>Connection: close</c>.</summary>
    private static byte[] CloseAfterResponse(byte[] buffer, int headLength)
    {
        string[] lines = Encoding.Latin1.GetString(buffer, 0, headLength - HeadEnd.Length).Split("\r\n");
        var head = new StringBuilder();
        foreach (string line in lines)
        {
            if (!line.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
            {
                head.Append(line).Append("\r\n");
            }
        }

        head.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    /// <summary>What S3 answers when it sheds load.</summary>
    private static byte[] ServiceUnavailableResponse()
    {
        const string Body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nConnection: close\r\nContent-Length: {Body.Length}\r\n\r\n{Body}");
    }

    private async Task PipeAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
        }
    }

    private async Task DrainAsync(Socket client)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        limit.CancelAfter(TimeSpan.FromSeconds(1));
        byte[] buffer = new byte[16 * 1024];
        while (await client.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
        {
        }
    }
}
