using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// A process writing through the generated disk methods is killed with SIGKILL 50 times at random moments; after
/// each kill every entry is read back through the generated methods and must be absent or exactly right.
/// </summary>
public sealed class DiskKillChaosTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 50;
    private static readonly string WriterDll = Path.Combine(AppContext.BaseDirectory, "LlmCache.Chaos.Tests.dll");
    private readonly string _directory = Directory.CreateTempSubdirectory("llmcache-chaos-disk-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    [Fact]
    public Task A_disk_writer_killed_with_sigkill_fifty_times_never_leaves_an_entry_that_is_read_back_wrong() =>
        Scenario.RunAsync(TimeSpan.FromSeconds(200), async cancellationToken =>
        {
            var random = new Random(50);
            var clock = Stopwatch.StartNew();
            int reads = 0;
            int hits = 0;
            int absent = 0;
            int wrong = 0;
            int exceptions = 0;
            int unreadableFiles = 0;
            long corruptDeleted = 0;
            var failures = new List<string>();
            TimeSpan writing = TimeSpan.Zero;
            for (int kill = 0; kill < Kills; kill++)
            {
                using (Process writer = StartWriter())
                {
                    try
                    {
                        string? line = await writer.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                        Assert.True(line == "ready", $"The disk writer did not start: '{line}' {await ReadErrorAsync(writer)}");

                        // Then a random moment in its loops of writes.
                        var alive = Stopwatch.StartNew();
                        await Task.Delay(random.Next(0, 300), cancellationToken);
                        writing += alive.Elapsed;
                    }
                    finally
                    {
                        writer.Kill(entireProcessTree: true);
                        await writer.WaitForExitAsync(CancellationToken.None);
                    }

                    Assert.NotEqual(0, writer.ExitCode);
                }

                // What a reader meets: files that are not intact envelopes are counted (the store must never serve them).
                unreadableFiles += Directory.EnumerateFiles(_directory, "*.entry", SearchOption.AllDirectories)
                    .Count(file => !CacheEntryEnvelope.TryDecode(ReadQuietly(file), out _));

                var store = new DiskCacheStore(_directory);
                using var runtime = new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Disk, store));
                var model = new SimulatedModel();
                var service = new DiskService(runtime, model);
                for (int p = 0; p < Program.Prompts; p++)
                {
                    string prompt = Program.Prompt(p);
                    for (int method = 0; method < 4; method++)
                    {
                        var outcome = new CacheOutcome();

                        // no-store: a miss does not write, so the next round sees only what the killed writer left.
                        var control = new CacheControl { NoStore = true, Outcome = outcome };
                        reads++;
                        try
                        {
                            bool right = method switch
                            {
                                0 => await service.AskAsync(prompt, control) == SimulatedModel.AnswerFor(prompt),
                                1 => (await service.DigestAsync(prompt, control)).AsSpan().SequenceEqual(SimulatedModel.DigestFor(prompt)),
                                2 => await service.ReplyAsync(prompt, control) == SimulatedModel.ReplyFor(prompt),
                                _ => await service.EssayAsync(prompt, control) == SimulatedModel.EssayFor(prompt),
                            };
                            hits += outcome.IsHit ? 1 : 0;
                            absent += outcome.IsHit ? 0 : 1;
                            if (!right)
                            {
                                wrong++;
                                failures.Add($"kill {kill}: method {method} '{prompt}' answered wrong ({outcome.Status})");
                            }
                        }
                        catch (Exception exception)
                        {
                            exceptions++;
                            failures.Add($"kill {kill}: method {method} '{prompt}' threw {exception}");
                        }
                    }
                }

                corruptDeleted += store.CorruptEntriesDeleted;
            }

            int leftovers = Directory.EnumerateFiles(_directory, "*.tmp", SearchOption.AllDirectories).Count();
            Scenario.Print(output, "disk store, writer killed with SIGKILL 50 times", new[]
            {
                $"{Kills} kills of a writer (4 loops of no-cache calls, entries up to 256 KB), {writing.TotalSeconds:F1} s of writing in all; elapsed {clock.Elapsed.TotalSeconds:F1} s",
                $"reads after the kills: {reads} (hits {hits}, absent {absent}), wrong {wrong}, exceptions {exceptions}",
                $"unreadable entry files met {unreadableFiles}, deleted by the store as corrupt {corruptDeleted}; temporary files left by killed writes {leftovers}",
            });

            Assert.True(wrong == 0 && exceptions == 0, string.Join(Environment.NewLine, failures.Take(10)));
            Assert.True(hits > 0, "No entry survived any kill: the writer never completed a write, so the scenario tested nothing.");
        });

    private Process StartWriter()
    {
        Assert.True(File.Exists(WriterDll), $"The writer {WriterDll} is missing.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WriterDll);
        start.ArgumentList.Add("disk-writer");
        start.ArgumentList.Add(_directory);
        return Process.Start(start) ?? throw new InvalidOperationException("The disk writer did not start.");
    }

    private static async Task<string> ReadErrorAsync(Process writer)
    {
        writer.Kill(entireProcessTree: true);
        return await writer.StandardError.ReadToEndAsync();
    }

    private static byte[] ReadQuietly(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (IOException)
        {
            // Replaced or deleted between the listing and the read: nothing to judge.
            return CacheEntryEnvelope.Encode(new CacheEntry(Array.Empty<byte>(), CachePayloadKind.Bytes, DateTimeOffset.UnixEpoch, null));
        }
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
