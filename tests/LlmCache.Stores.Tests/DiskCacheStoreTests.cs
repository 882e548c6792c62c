using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using LlmCache.Testing;

namespace LlmCache.Stores.Tests;

public sealed class DiskCacheStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static CacheStoreKey NewKey(string @namespace = "tests") => new(@namespace, RandomNumberGenerator.GetBytes(32));

    private static CacheEntry NewEntry(int length = 1024, TimeSpan? ttl = null) =>
        new(SelfCheckingPayload.Create(Random.Shared, length), CachePayloadKind.Bytes, DateTimeOffset.UtcNow, ttl is { } t ? DateTimeOffset.UtcNow + t : null);

    [Fact]
    public async Task Random_bytes_written_into_an_entry_file_are_a_miss_and_the_file_is_deleted_and_counted()
    {
        var store = new DiskCacheStore(_directory.Path);
        CacheStoreKey key = NewKey();
        await store.SetAsync(key, NewEntry());
        string path = store.GetEntryPath(key);
        Assert.True(File.Exists(path));

        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(4096));

        Assert.Null(await store.GetAsync(key));
        Assert.False(File.Exists(path));
        Assert.Equal(1, store.CorruptEntriesDeleted);
        Assert.Null(await store.GetAsync(key));
        Assert.Equal(1, store.CorruptEntriesDeleted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(-1)]
    public async Task Truncated_entry_files_are_a_miss_and_deleted(int keep)
    {
        var store = new DiskCacheStore(_directory.Path);
        CacheStoreKey key = NewKey();
        await store.SetAsync(key, NewEntry(2048));
        string path = store.GetEntryPath(key);
        byte[] intact = await File.ReadAllBytesAsync(path);

        await File.WriteAllBytesAsync(path, intact.AsSpan(0, keep >= 0 ? keep : intact.Length - 1).ToArray());

        Assert.Null(await store.GetAsync(key));
        Assert.False(File.Exists(path));
        Assert.Equal(1, store.CorruptEntriesDeleted);
    }

    [Fact]
    public async Task A_flipped_payload_bit_fails_the_checksum()
    {
        var store = new DiskCacheStore(_directory.Path);
        CacheStoreKey key = NewKey();
        await store.SetAsync(key, NewEntry(2048));
        string path = store.GetEntryPath(key);
        byte[] bytes = await File.ReadAllBytesAsync(path);
        bytes[1000] ^= 0x10;
        await File.WriteAllBytesAsync(path, bytes);

        Assert.Null(await store.GetAsync(key));
        Assert.Equal(1, store.CorruptEntriesDeleted);
    }

    [Fact]
    public async Task Corrupt_entry_under_a_runtime_call_goes_to_the_implementation_without_an_exception()
    {
        var options = new LlmCacheOptions().UseDisk(_directory.Path);
        CachedMethod<string> method = CachedCalls.Method(CacheType.Disk, "corrupt");
        var implementation = new CountingImplementation();
        await CachedCalls.AskAsync(new LlmCacheRuntime(options), method, "q", default, implementation.InvokeAsync);
        string file = Assert.Single(Directory.GetFiles(_directory.Path, "*.entry", SearchOption.AllDirectories));
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(100));

        string answer = await CachedCalls.AskAsync(new LlmCacheRuntime(options), method, "q", default, implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 2), answer);
        Assert.True(CacheEntryEnvelope.TryDecode(await File.ReadAllBytesAsync(file), out _), "The call's answer was not stored again over the corrupt entry.");
    }

    [Fact]
    public async Task An_entry_of_another_payload_kind_is_never_returned_as_the_wrong_type()
    {
        var options = new LlmCacheOptions().UseDisk(_directory.Path);
        var implementation = new CountingImplementation();
        var stringMethod = CachedCalls.Method(CacheType.Disk, "kinds");
        await CachedCalls.AskAsync(new LlmCacheRuntime(options), stringMethod, "q", default, implementation.InvokeAsync);
        string file = Assert.Single(Directory.GetFiles(_directory.Path, "*.entry", SearchOption.AllDirectories));
        var store = new DiskCacheStore(_directory.Path);
        Assert.True(CacheEntryEnvelope.TryDecode(await File.ReadAllBytesAsync(file), out CacheEntry? entry));
        await File.WriteAllBytesAsync(file, CacheEntryEnvelope.Encode(new CacheEntry(entry!.Payload, CachePayloadKind.Json, entry.CreatedAt, null)));

        string answer = await CachedCalls.AskAsync(new LlmCacheRuntime(options), stringMethod, "q", default, implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 2), answer);
        Assert.Equal(0, store.CorruptEntriesDeleted);
    }

    [Fact]
    public async Task An_expired_entry_file_is_deleted_when_read()
    {
        var time = new ManualTimeProvider();
        var store = new DiskCacheStore(new DiskCacheStoreOptions { Directory = _directory.Path }, time);
        CacheStoreKey key = NewKey();
        DateTimeOffset now = time.GetUtcNow();
        await store.SetAsync(key, new CacheEntry(new byte[] { 1, 2, 3 }, CachePayloadKind.Bytes, now, now + TimeSpan.FromMinutes(1)));

        // The file is there while the entry is live, so its absence below is the read's doing.
        Assert.True(File.Exists(store.GetEntryPath(key)));
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(await store.GetAsync(key));
        Assert.False(File.Exists(store.GetEntryPath(key)));
        Assert.Equal(0, store.CorruptEntriesDeleted);
    }

    [Fact]
    public void Namespaces_map_to_distinct_safe_subdirectories_even_on_case_insensitive_file_systems()
    {
        var store = new DiskCacheStore(_directory.Path);
        string[] namespaces = ["", "a", "A", "Tenant-A", "tenant-^a", "tenant-a", "..", ".", "../escape", "a/b", "a\\b", "con", "%0041", "x\uD800", "x\uDC00", "ü", new string('n', 500), new string('n', 501)];
        var directories = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        byte[] digest = RandomNumberGenerator.GetBytes(32);
        foreach (string ns in namespaces)
        {
            string path = store.GetEntryPath(new CacheStoreKey(ns, digest));
            string directory = Path.GetDirectoryName(path)!;
            Assert.Equal(Path.GetFullPath(_directory.Path), Path.GetDirectoryName(directory));
            string name = Path.GetFileName(directory);
            Assert.True(name.Length <= 124, $"'{name}' is too long for a file name.");
            Assert.True(directories.Add(name), $"Namespace '{ns}' shares the directory '{name}' with another namespace.");
            Assert.Equal(new CacheStoreKey(ns, digest).Hex + ".entry", Path.GetFileName(path));
        }
    }

    [Fact]
    public async Task Trim_evicts_the_least_recently_read_entries_down_to_the_limit()
    {
        // Written through a store with room for all, trimmed by one with a smaller limit.
        var store = new DiskCacheStore(_directory.Path);
        var small = new DiskCacheStore(new DiskCacheStoreOptions { Directory = _directory.Path, MaxBytes = 200 * 1024 });
        var keys = new List<CacheStoreKey>();
        for (int i = 0; i < 30; i++)
        {
            CacheStoreKey key = NewKey(i % 2 == 0 ? "even" : "odd");
            await store.SetAsync(key, NewEntry(10 * 1024));
            keys.Add(key);
        }

        // Read the five oldest: they become the most recently used.
        foreach (CacheStoreKey key in keys.Take(5))
        {
            Assert.NotNull(await store.GetAsync(key));
        }

        long left = small.Trim();

        Assert.InRange(left, 1, 200 * 1024);
        Assert.Equal(left, DirectorySize());
        foreach (CacheStoreKey key in keys.Take(5))
        {
            Assert.NotNull(await store.GetAsync(key));
        }

        Assert.Null(await store.GetAsync(keys[5]));
        Assert.NotNull(await store.GetAsync(keys[^1]));
    }

    [Fact]
    public async Task Writes_past_the_limit_trigger_eviction_in_the_background()
    {
        const long Limit = 100 * 1024;
        var store = new DiskCacheStore(new DiskCacheStoreOptions { Directory = _directory.Path, MaxBytes = Limit, FlushToDisk = false });
        for (int i = 0; i < 60; i++)
        {
            await store.SetAsync(NewKey(), NewEntry(8 * 1024));
        }

        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DirectorySize() > Limit)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The directory still holds {DirectorySize()} bytes, over its limit of {Limit}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Trim_deletes_stale_temporary_files_of_crashed_writers_and_keeps_fresh_ones()
    {
        var store = new DiskCacheStore(_directory.Path);
        CacheStoreKey key = NewKey();
        await store.SetAsync(key, NewEntry());
        string directory = Path.GetDirectoryName(store.GetEntryPath(key))!;
        string stale = Path.Combine(directory, key.Hex + ".123-abc.tmp");
        string fresh = Path.Combine(directory, key.Hex + ".456-def.tmp");
        await File.WriteAllBytesAsync(stale, new byte[10]);
        await File.WriteAllBytesAsync(fresh, new byte[10]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(1));

        store.Trim();

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.NotNull(await store.GetAsync(key));
    }

    [Fact]
    public async Task The_directory_vanishing_under_the_store_is_a_miss_and_the_next_write_recreates_it()
    {
        var store = new DiskCacheStore(_directory.Path);
        CacheStoreKey key = NewKey();
        await store.SetAsync(key, NewEntry());
        Directory.Delete(_directory.Path, recursive: true);

        Assert.Null(await store.GetAsync(key));
        Assert.False(await store.RemoveAsync(key));
        await store.ClearNamespaceAsync(key.Namespace);
        Assert.Equal(0, store.Trim());
        CacheEntry entry = NewEntry();
        await store.SetAsync(key, entry);

        CacheEntry? read = await store.GetAsync(key);
        Assert.NotNull(read);
        Assert.True(entry.Payload.Span.SequenceEqual(read.Payload.Span));
    }

    [Fact]
    public async Task Reference_disk_example_a_second_runtime_over_the_same_directory_gets_only_hits()
    {
        const int Calls = 20;
        CachedMethod<string> method = CachedCalls.Method(CacheType.Disk, @namespace: null);
        var first = new CountingImplementation();
        var second = new CountingImplementation();
        string[] prompts = Enumerable.Range(0, Calls).Select(i => "Tell me a joke, number " + i).ToArray();

        var firstRuntime = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory.Path));
        string[] firstAnswers = new string[Calls];
        for (int i = 0; i < Calls; i++)
        {
            firstAnswers[i] = await CachedCalls.AskAsync(firstRuntime, method, prompts[i], default, first.InvokeAsync);
        }

        var secondRuntime = new LlmCacheRuntime(new LlmCacheOptions().UseDisk(_directory.Path));
        for (int i = 0; i < Calls; i++)
        {
            var outcome = new CacheOutcome();
            Assert.Equal(firstAnswers[i], await CachedCalls.AskAsync(secondRuntime, method, prompts[i], new CacheControl { Outcome = outcome }, second.InvokeAsync));
            Assert.True(outcome.IsHit);
            Assert.Equal("disk", outcome.Tier);
        }

        Assert.Equal(Calls, first.Calls);
        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public async Task Reference_disk_example_across_two_processes()
    {
        string firstRun = await ChildProcess.RunAsync(null, "calls", _directory.Path, "25");
        string secondRun = await ChildProcess.RunAsync(null, "calls", _directory.Path, "25");

        Assert.Equal("implementation=25 hits=0", firstRun);
        Assert.Equal("implementation=0 hits=25", secondRun);
    }

    [Fact]
    public async Task Disk_type_works_with_no_registration_in_the_default_directory()
    {
        // The child's local application-data folder is redirected into the test's directory.
        var environment = new Dictionary<string, string> { ["XDG_DATA_HOME"] = _directory.Path, ["LOCALAPPDATA"] = _directory.Path };

        string firstRun = await ChildProcess.RunAsync(environment, "calls", "-", "5");
        string secondRun = await ChildProcess.RunAsync(environment, "calls", "-", "5");

        Assert.Equal("implementation=5 hits=0", firstRun);
        Assert.Equal("implementation=0 hits=5", secondRun);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_directory.Path, "LlmCache", "disk"), "*.entry", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Two_processes_and_this_one_share_a_directory_without_a_torn_read()
    {
        Task<string> a = ChildProcess.RunAsync(null, "share", _directory.Path, "1", "300");
        Task<string> b = ChildProcess.RunAsync(null, "share", _directory.Path, "2", "300");
        var store = new DiskCacheStore(_directory.Path);
        var random = new Random(3);
        int reads = 0;
        while (!(a.IsCompleted && b.IsCompleted))
        {
            byte[] payload = SelfCheckingPayload.Create(random, random.Next(SelfCheckingPayload.ChecksumLength, 64 * 1024));
            await store.SetAsync(TestChild.Program.Key("share", random.Next(TestChild.Program.KeyCount)), new CacheEntry(payload, CachePayloadKind.Bytes, DateTimeOffset.UtcNow, null));
            if (await store.GetAsync(TestChild.Program.Key("share", random.Next(TestChild.Program.KeyCount))) is { } entry)
            {
                reads++;
                Assert.True(SelfCheckingPayload.IsIntact(entry.Payload.Span), "A read while other processes wrote returned a torn payload.");
            }
        }

        Assert.Matches("^reads=[1-9][0-9]* torn=0 corrupt=0$", await a);
        Assert.Matches("^reads=[1-9][0-9]* torn=0 corrupt=0$", await b);
        Assert.True(reads > 0);
        Assert.Equal(0, store.CorruptEntriesDeleted);
        for (int k = 0; k < TestChild.Program.KeyCount; k++)
        {
            if (await store.GetAsync(TestChild.Program.Key("share", k)) is { } entry)
            {
                Assert.True(SelfCheckingPayload.IsIntact(entry.Payload.Span));
            }
        }
    }

    private long DirectorySize() =>
        Directory.EnumerateFiles(_directory.Path, "*.entry", SearchOption.AllDirectories).Sum(static f =>
        {
            try
            {
                return new FileInfo(f).Length;
            }
            catch (FileNotFoundException)
            {
                return 0;
            }
        });
}
