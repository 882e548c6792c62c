using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using LlmCache;
using LlmCache.Testing;

namespace LlmCache.Stores.TestChild;

/// <summary>
/// Modes:
/// <c>crash-writer DIR</c> writes entries forever (until killed), printing "ready" after the first;
/// <c>share DIR SEED ITERATIONS</c> writes and reads shared keys, checking every read, and prints "reads=R torn=T";
/// <c>calls DIR|- COUNT</c> makes COUNT cached calls through a runtime whose disk store is DIR (or, for "-", the
/// default directory with no registration at all) and prints "implementation=N hits=H".
/// </summary>
public static class Program
{
    /// <summary>The keys the crash writer and the sharers use.</summary>
    public const int KeyCount = 32;

    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["crash-writer", string directory]:
                await CrashWriterAsync(directory);
                return 0;
            case ["share", string directory, string seed, string iterations]:
                return await ShareAsync(directory, int.Parse(seed, CultureInfo.InvariantCulture), int.Parse(iterations, CultureInfo.InvariantCulture));
            case ["calls", string directory, string count]:
                return await CallsAsync(directory == "-" ? null : directory, int.Parse(count, CultureInfo.InvariantCulture));
            default:
                Console.Error.WriteLine("usage: crash-writer DIR | share DIR SEED ITERATIONS | calls DIR|- COUNT");
                return 2;
        }
    }

    /// <summary>The key number <paramref name="index"/> of <paramref name="namespace"/>, the same in every process.</summary>
    public static CacheStoreKey Key(string @namespace, int index) =>
        new(@namespace, SHA256.HashData(Encoding.UTF8.GetBytes("key-" + index.ToString(CultureInfo.InvariantCulture))));

    private static async Task CrashWriterAsync(string directory)
    {
        var store = new DiskCacheStore(directory);
        var random = new Random();
        bool ready = false;
        while (true)
        {
            byte[] payload = SelfCheckingPayload.Create(random, random.Next(SelfCheckingPayload.ChecksumLength, 512 * 1024));
            await store.SetAsync(Key("crash", random.Next(KeyCount)), new CacheEntry(payload, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null));
            if (!ready)
            {
                Console.WriteLine("ready");
                ready = true;
            }
        }
    }

    private static async Task<int> ShareAsync(string directory, int seed, int iterations)
    {
        var store = new DiskCacheStore(directory);
        var random = new Random(seed);
        int reads = 0;
        int torn = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] payload = SelfCheckingPayload.Create(random, random.Next(SelfCheckingPayload.ChecksumLength, 64 * 1024));
            await store.SetAsync(Key("share", random.Next(KeyCount)), new CacheEntry(payload, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null));
            if (await store.GetAsync(Key("share", random.Next(KeyCount))) is { } entry)
            {
                reads++;
                torn += SelfCheckingPayload.IsIntact(entry.Payload.Span) ? 0 : 1;
            }
        }

        Console.WriteLine($"reads={reads} torn={torn} corrupt={store.CorruptEntriesDeleted}");
        return torn == 0 && store.CorruptEntriesDeleted == 0 ? 0 : 1;
    }

    private static async Task<int> CallsAsync(string? directory, int count)
    {
        var options = new LlmCacheOptions();
        if (directory is not null)
        {
            options.UseDisk(directory);
        }

        var runtime = new LlmCacheRuntime(options);
        CachedMethod<string> method = CachedCalls.Method(CacheType.Disk, @namespace: null);
        var implementation = new CountingImplementation();
        int hits = 0;
        for (int i = 0; i < count; i++)
        {
            var outcome = new CacheOutcome();
            string prompt = "Tell me a joke, number " + i.ToString(CultureInfo.InvariantCulture);
            await CachedCalls.AskAsync(runtime, method, prompt, new CacheControl { Outcome = outcome }, implementation.InvokeAsync);
            hits += outcome.IsHit ? 1 : 0;
        }

        Console.WriteLine($"implementation={implementation.Calls} hits={hits}");
        return 0;
    }
}
