using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace LlmCache.Generators.Tests;

/// <summary>
/// Golden-file snapshots beside the tests (<c>Snapshots/NAME.verified.cs</c>). A mismatch writes
/// <c>NAME.received.cs</c> and fails with the first differing line; set LLMCACHE_ACCEPT_SNAPSHOTS=1 to accept
/// (refused, failing the test, under CI=true).
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerFile = "") =>
        Match(name, actual, Environment.GetEnvironmentVariable, callerFile);

    /// <summary>As <see cref="Match(string, string, string)"/>, reading the environment through <paramref name="environment"/>.</summary>
    public static void Match(string name, string actual, Func<string, string?> environment, string callerFile)
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        string normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);

        if (environment("LLMCACHE_ACCEPT_SNAPSHOTS") == "1")
        {
            // CI checks the golden files; a CI run that rewrote them would pass whatever the generator wrote.
            if (environment("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1"))
            {
                Assert.Fail($"LLMCACHE_ACCEPT_SNAPSHOTS=1 is refused under CI={ci}: accept snapshots on a developer machine and commit them.");
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return;
        }

        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == normalized)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalized);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}; review {received} and accept it with LLMCACHE_ACCEPT_SNAPSHOTS=1."
            : $"Snapshot {name} differs: {FirstDifference(expected, normalized)}. Review {received}, and accept it with LLMCACHE_ACCEPT_SNAPSHOTS=1 if it is right.");
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string left = i < e.Length ? e[i] : "<end>";
            string right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: expected «{left.Trim()}» but got «{right.Trim()}»";
            }
        }

        return "line endings";
    }
}
