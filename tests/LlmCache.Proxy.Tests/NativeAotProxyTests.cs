using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using LlmCache.PackageTests;
using LlmCache.Testing;
using LlmCache.Testing.Servers;
using Xunit.Abstractions;

namespace LlmCache.Proxy.Tests;

/// <summary>
/// The proxy published with Native AOT (<c>dotnet publish -c Release -r linux-x64</c>): no trim or AOT warning, and
/// the native binary, in front of the fake upstream, serves a miss, then a hit, then a miss for another request.
/// </summary>
public sealed class NativeAotProxyTests(ITestOutputHelper output)
{
    // The native compile of the proxy with ASP.NET Core, Redis and the AWS SDK takes minutes on the shared 2-core
    // machine (27 min once, at a load average of 34); a bound against a hang, not a speed test.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(40);

    [Fact]
    public async Task NativeAotPublish_HasNoTrimOrAotWarnings_AndTheBinaryCaches()
    {
        string publishDirectory = Path.Combine(Path.GetTempPath(), "llmcache-proxy-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            ToolResult publish = await Tool.RunAsync(
                Tool.Dotnet,
                ["publish", "samples/CachingProxy/CachingProxy.csproj", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", publishDirectory, "--disable-build-servers", "-nodeReuse:false"],
                RepositoryRoot.Find(),
                PublishTimeout);
            output.WriteLine($"{publish.CommandLine}: {publish.Elapsed.TotalSeconds:F1} s");
            output.WriteLine(publish.Output);
            Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), publish.Output);
            Assert.True(publish.ExitCode == 0, publish.ToString());

            string binary = Path.Combine(publishDirectory, OperatingSystem.IsWindows() ? "CachingProxy.exe" : "CachingProxy");
            Assert.True(File.Exists(binary), $"No native binary at {binary}. {publish}");
            Assert.False(File.Exists(Path.Combine(publishDirectory, "CachingProxy.dll")), "The publish produced IL, not a native binary.");

            await using FakeOpenAi upstream = await FakeOpenAi.StartAsync();
            int port = FreePorts.Any();
            var start = new ProcessStartInfo(binary) { WorkingDirectory = publishDirectory };
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
            start.Environment["OPENAI_BASE_URL"] = upstream.BaseUrl.AbsoluteUri;
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            using ServerProcess proxy = ServerProcess.Start(start, "the native CachingProxy", TimeSpan.FromSeconds(60), port, () => NodeServers.AcceptsConnections(port));

            using HttpResponseMessage miss = await client.PostAsync("v1/chat/completions", Json(ChatCompletionsTests.ReferenceChat));
            using HttpResponseMessage hit = await client.PostAsync("v1/chat/completions", Json(ChatCompletionsTests.ReferenceChat));
            using HttpResponseMessage other = await client.PostAsync("v1/chat/completions", Json(ChatCompletionsTests.ReferenceChat.Replace("poem", "song")));
            using HttpResponseMessage embedding = await client.PostAsync("embeddings", Json(EmbeddingsTests.ReferenceEmbeddings));
            using HttpResponseMessage embeddingHit = await client.PostAsync("embeddings", Json(EmbeddingsTests.ReferenceEmbeddings));
            output.WriteLine(proxy.Output);

            Assert.Equal("miss", miss.CacheStatus());
            Assert.Equal("hit", hit.CacheStatus());
            Assert.Equal(await miss.Content.ReadAsStringAsync(), await hit.Content.ReadAsStringAsync());
            Assert.Equal("miss", other.CacheStatus());
            Assert.Equal("hit", embeddingHit.CacheStatus());
            Assert.Equal(2, upstream.ChatCalls);
            Assert.Equal(1, upstream.EmbeddingCalls);
            Assert.Contains($"listening on http://127.0.0.1:{port}", proxy.Output);
        }
        finally
        {
            if (Directory.Exists(publishDirectory))
            {
                Directory.Delete(publishDirectory, recursive: true);
            }
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
