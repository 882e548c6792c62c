using BenchmarkDotNet.Running;
using LlmCache.Redis.Tests.Servers;

namespace LlmCache.Redis.Benchmarks;

/// <summary>Runs the Redis hit benchmarks: <c>dotnet run -c Release -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        using RedisServer server = BenchmarkRedis.StartForRun();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
