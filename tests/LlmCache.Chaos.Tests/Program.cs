using System;
using System.Threading.Tasks;

namespace LlmCache.Chaos.Tests;

/// <summary>The placeholder entry point; the test host never calls it.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        Console.Error.WriteLine("usage: disk-writer DIR");
        return Task.FromResult(args.Length == 0 ? 0 : 2);
    }
}
