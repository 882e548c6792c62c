using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// A store that holds a connection to a server (Redis): it can tell a failure to reach the server, which is expected
/// during a restart or a network outage and logged as one line without a stack trace, from other failures; and it can
/// open its connection when the host starts rather than on the first call.
/// </summary>
internal interface IRemoteConnection
{
    /// <summary>Whether the store opens its connection at start-up (see <see cref="ConnectAsync"/>).</summary>
    bool ConnectsAtStartup { get; }

    /// <summary>Whether <paramref name="exception"/> says only that the server could not be reached.</summary>
    bool IsUnreachable(Exception exception);

    /// <summary>Opens the connection within the store's connect timeout; a server that cannot be reached is logged, not thrown.</summary>
    Task ConnectAsync(CancellationToken cancellationToken);
}
