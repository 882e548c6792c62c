using System;
using System.IO;

namespace LlmCache.Redis.Tests.Servers;

/// <summary>Finds the server programs the tests start, and fails clearly when one is missing.</summary>
public static class ServerBinaries
{
    /// <summary>The full path of <paramref name="program"/> on PATH.</summary>
    /// <exception cref="InvalidOperationException">It is not installed: the message says how to install it.</exception>
    public static string Find(string program)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // Never a silent skip: these tests exist to run against a real server.
        string where = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "CI=true, so this is a failure: the test command must install it"
            : "install it to run the Redis tests";
        throw new InvalidOperationException(
            $"REDIS SERVER MISSING: '{program}' was not found on PATH ({where}: apt-get update && apt-get install -y redis-server).");
    }
}
