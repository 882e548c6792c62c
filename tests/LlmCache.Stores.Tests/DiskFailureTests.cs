using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.Testing;
using Microsoft.Extensions.Logging;

namespace LlmCache.Stores.Tests;

/// <summary>A disk store that cannot write, seen through the runtime: answers stay right and the log stays readable.</summary>
public sealed class DiskFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ListLoggerFactory _logs = new();
    private readonly CountingImplementation _implementation = new();
    private readonly CachedMethod<string> _method = CachedCalls.Method(CacheType.Disk, "disk-failure");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_disk_that_cannot_be_written_logs_a_few_lines_over_100_calls_and_hits_resume_once_it_can(bool registered)
    {
        string root = Path.Combine(_temp.Path, "cache");
        var time = new ManualTimeProvider();
        var options = new LlmCacheOptions { LoggerFactory = _logs, TimeProvider = time };
        if (registered)
        {
            options.UseStore(CacheType.Disk, new DiskCacheStore(new DiskCacheStoreOptions { Directory = root }, time));
        }
        else
        {
            options.Disk.Directory = root;
        }

        var runtime = new LlmCacheRuntime(options);

        // A file where the cache directory should be: every write fails (even as root, unlike a read-only mode).
        File.WriteAllText(root, "not a directory");
        for (int i = 0; i < 100; i++)
        {
            string prompt = "prompt " + i;
            Assert.Equal(CountingImplementation.AnswerFor(prompt, i + 1), await CachedCalls.AskAsync(runtime, _method, prompt, default, _implementation.InvokeAsync));
        }

        Assert.Equal(100, _implementation.Calls);
        int lines = _logs.AtLeast(LogLevel.Warning).Count();
        Assert.True(lines <= 3, $"100 calls on a failing disk logged {lines} warnings or errors.");
        Assert.True(lines >= 1, "The failing disk was never reported.");

        // The directory is back: after the break, writes go through and the next call is a disk hit.
        File.Delete(root);
        time.Advance(runtime.GetOptions().Resilience.BreakDuration);
        string first = await CachedCalls.AskAsync(runtime, _method, "back", default, _implementation.InvokeAsync);
        var outcome = new CacheOutcome();
        string second = await CachedCalls.AskAsync(runtime, _method, "back", new CacheControl { Outcome = outcome }, _implementation.InvokeAsync);

        Assert.Equal(first, second);
        Assert.True(outcome.IsHit);
        Assert.Equal("disk", outcome.Tier);
    }
}
