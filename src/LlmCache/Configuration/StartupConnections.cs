using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// Opens, when the host starts, the connections of the stores that ask for it (<c>RedisCacheStoreOptions.ConnectAtStartup</c>),
/// so the first call does not wait for them and the log says at start whether each server is reachable. Each store
/// bounds its connect by its own connect timeout and logs an unreachable server instead of throwing, so the start goes on.
/// </summary>
internal static class StartupConnections
{
    public static void Open(LlmCacheRuntime runtime)
    {
        List<Task> connecting = runtime.GetOptions().Stores.Values
            .Select(registration => registration.Store)
            .OfType<IRemoteConnection>()
            .Where(store => store.ConnectsAtStartup)
            .Distinct()
            .Select(store => store.ConnectAsync(CancellationToken.None))
            .ToList();

        // Options validation is synchronous; the host waits for it before it starts serving anyway.
        Task.WhenAll(connecting).GetAwaiter().GetResult();
    }
}
