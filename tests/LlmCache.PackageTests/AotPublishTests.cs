using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace LlmCache.PackageTests;

/// <summary>
/// The consumer app, published with Native AOT against the packed packages: no trimming or AOT warning (IL2xxx,
/// IL3xxx) from LlmCache, LlmCache.Redis, LlmCache.S3, LlmCache.AzureBlob or what they pull in, and the native
/// binary prints a hit.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class AotPublishTests(PackagesFixture packages, ITestOutputHelper output)
{
    // The native compile of the app and all four packages (Azure.Storage.Blobs and Azure.Core included) took more
    // than 8 minutes on the shared 2-core machine; a bound against a hang, not a speed test.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task NativeAotPublish_HasNoTrimOrAotWarnings_AndTheNativeAppPrintsAHit()
    {
        // Native AOT links with the platform's C toolchain; without it the publish cannot run, and this test fails
        // rather than skip (the test command installs it: apt-get install -y clang).
        if (OperatingSystem.IsLinux())
        {
            Assert.True(OnPath("clang"), "Native AOT publishing needs clang on PATH: install it (Debian: apt-get install -y clang).");
        }

        string app = packages.CreateApp("aot-app");
        string publishDirectory = Path.Combine(app, "publish");
        ToolResult publish = await Tool.RunAsync(
            Tool.Dotnet,
            ["publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true", "-o", publishDirectory, "--disable-build-servers", "-nodeReuse:false"],
            app,
            PublishTimeout,
            packages.AppEnvironment);
        output.WriteLine($"{publish.CommandLine}: {publish.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(publish.Output);

        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), publish.Output);
        Assert.True(publish.ExitCode == 0, publish.ToString());

        string binary = Path.Combine(publishDirectory, OperatingSystem.IsWindows() ? "ConsumerApp.exe" : "ConsumerApp");
        Assert.True(File.Exists(binary), $"No native binary at {binary}. {publish}");
        Assert.False(File.Exists(Path.Combine(publishDirectory, "ConsumerApp.dll")), "The publish produced IL, not a native binary.");

        ToolResult run = await Tool.RunAsync(binary, [], app, ConsumerAppTests.RunTimeout);
        output.WriteLine($"{run.CommandLine}: {run.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.Output);
        ConsumerAppTests.AssertMissThenHit(run);
    }

    private static bool OnPath(string command)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, command)))
            {
                return true;
            }
        }

        return false;
    }
}
