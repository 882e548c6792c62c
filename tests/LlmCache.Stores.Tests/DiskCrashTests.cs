using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using LlmCache.Testing;
using Xunit.Abstractions;

namespace LlmCache.Stores.Tests;

public sealed class DiskCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_writer_killed_with_sigkill_twenty_times_leaves_only_intact_entries()
    {
        var random = new Random();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Kills; i++)
        {
            using Process writer = ChildProcess.Start(null, "crash-writer", _directory.Path);
            try
            {
                string? line = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(line == "ready", $"The crash writer did not start: {line}");

                // Then a random moment in its loop of writes.
                await Task.Delay(random.Next(0, 250));
            }
            finally
            {
                writer.Kill(entireProcessTree: true);
                await writer.WaitForExitAsync();
            }

            Assert.NotEqual(0, writer.ExitCode);
        }

        // Every file under an entry's name is an intact envelope of an intact payload: no write was torn.
        foreach (string file in Directory.EnumerateFiles(_directory.Path, "*.entry", SearchOption.AllDirectories))
        {
            Assert.True(CacheEntryEnvelope.TryDecode(await File.ReadAllBytesAsync(file), out CacheEntry? entry), $"{file} is not an intact envelope.");
            Assert.True(SelfCheckingPayload.IsIntact(entry!.Payload.Span));
        }

        var store = new DiskCacheStore(_directory.Path);
        int found = 0;
        for (int k = 0; k < TestChild.Program.KeyCount; k++)
        {
            if (await store.GetAsync(TestChild.Program.Key("crash", k)) is { } entry)
            {
                found++;
                Assert.True(SelfCheckingPayload.IsIntact(entry.Payload.Span), $"Key {k} holds a torn payload after the crashes.");
            }
        }

        int leftovers = Directory.GetFiles(_directory.Path, "*.tmp", SearchOption.AllDirectories).Length;
        output.WriteLine($"{Kills} kills in {clock.Elapsed.TotalSeconds:F1} s; {found} of {TestChild.Program.KeyCount} keys hold intact entries; {leftovers} temporary files left by killed writes.");
        Assert.True(found > 0, "The writer never completed a write.");
        Assert.Equal(0, store.CorruptEntriesDeleted);
    }
}
