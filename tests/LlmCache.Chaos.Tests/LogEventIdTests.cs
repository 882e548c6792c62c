using System.Linq;
using System.Reflection;
using LlmCache.AzureBlob;
using LlmCache.Redis;
using LlmCache.S3;
using Microsoft.Extensions.Logging;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// Every log event has its own EventId, across the packages: docs/telemetry.md lists them, and dashboards and alerts
/// filter on them. This lives here because this is the one test project that references every assembly that logs.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] LoggingAssemblies =
    [
        typeof(LlmCacheRuntime).Assembly,
        typeof(RedisCacheStore).Assembly,
        typeof(S3CacheStore).Assembly,
        typeof(AzureBlobCacheStore).Assembly,
    ];

    public static TheoryData<string> AssemblyNames() => new(LoggingAssemblies.Select(a => a.GetName().Name!));

    [Theory]
    [MemberData(nameof(AssemblyNames))]
    public void NoTwoLogMethodsOfAnAssembly_ShareAnEventId(string assemblyName)
    {
        (string Method, int EventId)[] events = LogMethods(LoggingAssemblies.Single(a => a.GetName().Name == assemblyName));

        Assert.NotEmpty(events);
        Assert.True(Shared(events).Length == 0, $"{assemblyName}: log methods that share an EventId: {string.Join("; ", Shared(events))}");
    }

    [Fact]
    public void NoTwoLogMethodsOfThePackages_ShareAnEventId()
    {
        (string Method, int EventId)[] events = LoggingAssemblies.SelectMany(LogMethods).ToArray();

        Assert.True(Shared(events).Length == 0, $"log methods of different packages that share an EventId: {string.Join("; ", Shared(events))}");
    }

    private static (string Method, int EventId)[] LogMethods(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{assembly.GetName().Name}: {method.DeclaringType!.Name}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .Select(e => (e.Method, e.Attribute!.EventId))
            .ToArray();

    private static string[] Shared((string Method, int EventId)[] events) =>
        events
            .GroupBy(e => e.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"EventId {group.Key}: {string.Join(", ", group.Select(e => e.Method))}")
            .ToArray();
}
