using BenchmarkDotNet.Running;

namespace LlmCache.Redis.Benchmarks;

/// <summary>Runs the Redis hit benchmarks: <c>dotnet run -c Release -- --filter '*' --job short</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
