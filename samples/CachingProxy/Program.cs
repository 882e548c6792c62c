using System;
using LlmCache.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

// dotnet run --project samples/CachingProxy [-- --config config.yaml --port 4000]: docs/proxy.md.
try
{
    ProxySettings settings = ProxyCommandLine.Parse(args, Environment.GetEnvironmentVariable);
    await using WebApplication app = await ProxyApp.StartAsync(settings);
    Console.WriteLine($"CachingProxy listening on {string.Join(", ", ProxyApp.Addresses(app))}");
    await app.WaitForShutdownAsync();
    return 0;
}
catch (ProxyStartupException exception)
{
    Console.Error.WriteLine($"CachingProxy: {exception.Message}");
    return 2;
}
