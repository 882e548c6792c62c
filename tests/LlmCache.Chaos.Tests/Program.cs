using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// The second process of the disk scenario (the test host never calls this): <c>disk-writer DIR</c> makes cached
/// calls through the generated disk methods forever, each with no-cache so every call rewrites its entry, from
/// four concurrent loops, and prints "ready" after the first write. The scenario kills it with SIGKILL.
/// </summary>
public static class Program
{
    /// <summary>How many prompts the writer cycles through.</summary>
    public const int Prompts = 32;

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["disk-writer", string directory])
        {
            Console.Error.WriteLine("usage: disk-writer DIR");
            return 2;
        }

        using var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(directory));
        var service = new DiskService(runtime, new SimulatedModel());
        int written = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(loop => Task.Run(async () =>
        {
            var random = new Random(loop);
            while (true)
            {
                await WriteAsync(service, random.Next(4), Prompt(random.Next(Prompts)));
                if (Interlocked.Increment(ref written) == 1)
                {
                    Console.WriteLine("ready");
                }
            }
        })));
        return 0;
    }

    /// <summary>The prompt number <paramref name="index"/>, the same in the writer and the reader.</summary>
    public static string Prompt(int index) => "disk prompt " + index.ToString(CultureInfo.InvariantCulture);

    private static async Task WriteAsync(DiskService service, int method, string prompt)
    {
        switch (method)
        {
            case 0:
                await service.AskAsync(prompt, CacheControl.Refresh);
                break;
            case 1:
                await service.DigestAsync(prompt, CacheControl.Refresh);
                break;
            case 2:
                await service.ReplyAsync(prompt, CacheControl.Refresh);
                break;
            default:
                await service.EssayAsync(prompt, CacheControl.Refresh);
                break;
        }
    }
}
