using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace LlmCache.Testing;

/// <summary>
/// The one contract every <see cref="ICacheStore"/> passes. Derive a test class, return the store under test from
/// <see cref="CreateStore"/>, and every test here runs against it: directly through <see cref="ICacheStore"/>, and
/// through an <see cref="LlmCacheRuntime"/> that registers it with <see cref="Register"/>.
/// </summary>
/// <remarks>
/// Stores run on real time, so expiry tests wait for short real TTLs. Every test works in namespaces of its own,
/// so stores that share a backend (a server, a directory) can run these tests side by side.
/// </remarks>
public abstract class StoreContractTests
{
    /// <summary>The short real TTL of the expiry tests.</summary>
    protected static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(1.5);

    /// <summary>How long an expiry test waits for an entry to go before it fails.</summary>
    protected static readonly TimeSpan ExpiryDeadline = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A fresh store under test. Each call may return a new instance over the same backend; tests use unique
    /// namespaces so stores sharing a backend don't interfere.
    /// </summary>
    protected abstract ICacheStore CreateStore();

    /// <summary>The cache type that the runtime-level tests' methods use; it must match <see cref="Register"/>.</summary>
    protected virtual CacheType RuntimeType => CacheType.Custom;

    /// <summary>How the runtime-level tests register the store in <see cref="LlmCacheOptions"/>.</summary>
    protected virtual void Register(LlmCacheOptions options, ICacheStore store) => options.UseStore(CacheType.Custom, store);

    /// <summary>
    /// Whether a read that races a write to the same key may fail (throw) on this backend. Only for test servers
    /// that are not atomic, such as s3rver; a store must still never return a torn value.
    /// </summary>
    protected virtual bool ReadsDuringWritesMayFail => false;

    /// <summary>
    /// Whether two overlapping writes of one key may leave its bytes mixed on this backend. Only for test servers that
    /// write an object in place, such as s3rver; the store must then read it as a miss it counts as an unreadable
    /// entry (<see cref="UnreadableEntriesFound"/>), never as a value.
    /// </summary>
    protected virtual bool OverlappingWritesMayTear => false;

    /// <summary>How many unreadable entries <paramref name="store"/> has found so far, where <see cref="OverlappingWritesMayTear"/>.</summary>
    protected virtual long UnreadableEntriesFound(ICacheStore store) => 0;

    /// <summary>A namespace no other test uses.</summary>
    protected static string NewNamespace() => "contract-" + Guid.NewGuid().ToString("N");

    /// <summary>A key with a random digest in <paramref name="namespace"/>.</summary>
    protected static CacheStoreKey NewKey(string @namespace) => new(@namespace, RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength));

    /// <summary>An entry created now (to the millisecond, as envelopes keep it) that expires after <paramref name="ttl"/>, if given.</summary>
    protected static CacheEntry NewEntry(byte[] payload, TimeSpan? ttl = null, CachePayloadKind kind = CachePayloadKind.Bytes)
    {
        DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new CacheEntry(payload, kind, now, ttl is { } t ? now + t : null);
    }

    /// <summary>A small self-checking payload.</summary>
    protected static byte[] NewPayload(int length = 256) => SelfCheckingPayload.Create(Random.Shared, length);

    /// <summary>A runtime over <paramref name="store"/>, registered by <see cref="Register"/>.</summary>
    protected LlmCacheRuntime CreateRuntime(ICacheStore store)
    {
        var options = new LlmCacheOptions();
        Register(options, store);
        return new LlmCacheRuntime(options);
    }

    /// <summary>The simulated cached method of the runtime-level tests, in a namespace of its own.</summary>
    protected CachedMethod<string> NewMethod() => CachedCalls.Method(RuntimeType, NewNamespace());

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/>, byte for byte, with its kind and times.</summary>
    protected static void AssertSameEntry(CacheEntry expected, CacheEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Payload.Length, actual.Payload.Length);
        Assert.True(expected.Payload.Span.SequenceEqual(actual.Payload.Span), "The payload read back differs from the payload written.");
        Assert.Equal(expected.CreatedAt.ToUnixTimeMilliseconds(), actual.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(expected.ExpiresAt?.ToUnixTimeMilliseconds(), actual.ExpiresAt?.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Set_then_get_returns_the_entry_and_remove_deletes_it()
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        CacheEntry entry = NewEntry(NewPayload(), TimeSpan.FromMinutes(10), CachePayloadKind.Utf8String);

        await store.SetAsync(key, entry);
        AssertSameEntry(entry, await store.GetAsync(key));

        Assert.True(await store.RemoveAsync(key));
        Assert.Null(await store.GetAsync(key));
        Assert.False(await store.RemoveAsync(key));
    }

    [Fact]
    public async Task Entry_without_expiry_round_trips()
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        CacheEntry entry = NewEntry(NewPayload(), ttl: null, CachePayloadKind.Json);

        await store.SetAsync(key, entry);

        AssertSameEntry(entry, await store.GetAsync(key));
    }

    [Fact]
    public async Task Get_of_a_missing_key_returns_null()
    {
        ICacheStore store = CreateStore();
        string ns = NewNamespace();
        await store.SetAsync(NewKey(ns), NewEntry(NewPayload()));

        Assert.Null(await store.GetAsync(NewKey(ns)));
        Assert.Null(await store.GetAsync(NewKey(NewNamespace())));
    }

    [Fact]
    public async Task Set_overwrites_the_previous_entry()
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        CacheEntry first = NewEntry(NewPayload(300));
        CacheEntry second = NewEntry(NewPayload(100), TimeSpan.FromMinutes(5), CachePayloadKind.Json);

        await store.SetAsync(key, first);
        await store.SetAsync(key, second);

        AssertSameEntry(second, await CreateStore().GetAsync(key));
    }

    [Fact]
    public async Task Clear_namespace_removes_that_namespace_only()
    {
        ICacheStore store = CreateStore();
        string cleared = NewNamespace();
        string kept = NewNamespace();
        var clearedKeys = new List<CacheStoreKey>();
        var keptEntries = new List<(CacheStoreKey Key, CacheEntry Entry)>();
        for (int i = 0; i < 5; i++)
        {
            CacheStoreKey inCleared = NewKey(cleared);
            await store.SetAsync(inCleared, NewEntry(NewPayload()));
            clearedKeys.Add(inCleared);

            // The same digest in the other namespace must survive the clear.
            var inKept = new CacheStoreKey(kept, inCleared.Digest.ToArray());
            CacheEntry keptEntry = NewEntry(NewPayload());
            await store.SetAsync(inKept, keptEntry);
            keptEntries.Add((inKept, keptEntry));
        }

        await store.ClearNamespaceAsync(cleared);

        foreach (CacheStoreKey key in clearedKeys)
        {
            Assert.Null(await store.GetAsync(key));
        }

        foreach ((CacheStoreKey key, CacheEntry entry) in keptEntries)
        {
            AssertSameEntry(entry, await store.GetAsync(key));
        }

        CacheEntry afterClear = NewEntry(NewPayload());
        await store.SetAsync(clearedKeys[0], afterClear);
        AssertSameEntry(afterClear, await store.GetAsync(clearedKeys[0]));
    }

    [Fact]
    public async Task Clear_all_removes_the_entries_of_every_namespace_and_the_store_keeps_working()
    {
        ICacheStore store = CreateStore();
        var keys = new List<CacheStoreKey>();
        foreach (string @namespace in new[] { NewNamespace(), NewNamespace(), NewNamespace() + ":with/odd chars" })
        {
            for (int i = 0; i < 3; i++)
            {
                CacheStoreKey key = NewKey(@namespace);
                await store.SetAsync(key, NewEntry(NewPayload()));
                keys.Add(key);
            }
        }

        foreach (CacheStoreKey key in keys)
        {
            Assert.NotNull(await store.GetAsync(key));
        }

        await store.ClearAllAsync();

        foreach (CacheStoreKey key in keys)
        {
            Assert.Null(await store.GetAsync(key));
        }

        CacheEntry afterClear = NewEntry(NewPayload());
        await store.SetAsync(keys[0], afterClear);
        AssertSameEntry(afterClear, await store.GetAsync(keys[0]));
    }

    [Fact]
    public async Task Namespaces_are_isolated_for_the_same_digest()
    {
        ICacheStore store = CreateStore();
        byte[] digest = RandomNumberGenerator.GetBytes(CacheKeyDigests.RemoteLength);
        var a = new CacheStoreKey(NewNamespace(), digest);
        var b = new CacheStoreKey(NewNamespace(), digest);
        CacheEntry entryA = NewEntry(NewPayload(200));
        CacheEntry entryB = NewEntry(NewPayload(400));

        await store.SetAsync(a, entryA);
        Assert.Null(await store.GetAsync(b));
        await store.SetAsync(b, entryB);

        AssertSameEntry(entryA, await store.GetAsync(a));
        AssertSameEntry(entryB, await store.GetAsync(b));
        Assert.True(await store.RemoveAsync(a));
        AssertSameEntry(entryB, await store.GetAsync(b));
    }

    [Fact]
    public async Task Entry_expires_after_its_ttl()
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        CacheEntry entry = NewEntry(NewPayload(), ShortTtl);
        var clock = Stopwatch.StartNew();

        await store.SetAsync(key, entry);
        CacheEntry? first = await store.GetAsync(key);
        if (clock.Elapsed < ShortTtl)
        {
            AssertSameEntry(entry, first);
        }

        while (await store.GetAsync(key) is { } live)
        {
            Assert.NotNull(live.ExpiresAt);
            Assert.True(DateTimeOffset.UtcNow < live.ExpiresAt.Value + TimeSpan.FromSeconds(2), "The store served an entry long after it expired.");
            Assert.True(clock.Elapsed < ExpiryDeadline, $"The entry was still served {clock.Elapsed} after a TTL of {ShortTtl}.");
            await Task.Delay(100);
        }

        Assert.True(clock.Elapsed >= ShortTtl - TimeSpan.FromMilliseconds(50), $"The entry went after {clock.Elapsed}, before its TTL of {ShortTtl}.");
        Assert.Null(await CreateStore().GetAsync(key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public async Task Set_of_an_entry_already_expired_keeps_nothing_and_leaves_the_previous_entry(int ttlMilliseconds)
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        CacheEntry live = NewEntry(NewPayload(), TimeSpan.FromMinutes(10));
        await store.SetAsync(key, live);

        await store.SetAsync(key, NewEntry(NewPayload(), TimeSpan.FromMilliseconds(ttlMilliseconds)));

        AssertSameEntry(live, await store.GetAsync(key));
        AssertSameEntry(live, await CreateStore().GetAsync(key));
        CacheStoreKey fresh = NewKey(NewNamespace());
        await store.SetAsync(fresh, NewEntry(NewPayload(), TimeSpan.FromMilliseconds(ttlMilliseconds)));
        Assert.Null(await CreateStore().GetAsync(fresh));
    }

    [Fact]
    public async Task Entry_expiring_at_the_end_of_the_calendar_round_trips()
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        CacheEntry entry = new(NewPayload(), CachePayloadKind.Utf8String, NewEntry([]).CreatedAt, DateTimeOffset.MaxValue);

        await store.SetAsync(key, entry);

        AssertSameEntry(entry, await CreateStore().GetAsync(key));
    }

    [Fact]
    public async Task Five_megabyte_payload_round_trips_byte_identical()
    {
        ICacheStore store = CreateStore();
        CacheStoreKey key = NewKey(NewNamespace());
        byte[] payload = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        CacheEntry entry = NewEntry(payload, TimeSpan.FromMinutes(10));

        await store.SetAsync(key, entry);

        AssertSameEntry(entry, await CreateStore().GetAsync(key));
    }

    [Fact]
    public async Task Concurrent_writers_leave_every_key_with_one_written_value_intact()
    {
        const int Writers = 8;
        const int WritesPerWriter = 50;
        string ns = NewNamespace();
        var keys = new CacheStoreKey[10];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = NewKey(ns);
        }

        var written = new ConcurrentDictionary<(int Key, string Value), bool>();
        var tasks = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            tasks[w] = Task.Run(async () =>
            {
                ICacheStore store = CreateStore();
                var random = new Random(writer);
                for (int i = 0; i < WritesPerWriter; i++)
                {
                    int k = (writer + i) % keys.Length;
                    byte[] payload = SelfCheckingPayload.Create(random, random.Next(64, 64 * 1024));
                    written[(k, SelfCheckingPayload.Identity(payload))] = true;
                    await store.SetAsync(keys[k], NewEntry(payload));

                    CacheEntry? read;
                    try
                    {
                        read = await store.GetAsync(keys[random.Next(keys.Length)]);
                    }
                    catch (Exception) when (ReadsDuringWritesMayFail)
                    {
                        // A failed read is a miss to the runtime; what must never happen is a torn value.
                        continue;
                    }

                    Assert.True(read is null || SelfCheckingPayload.IsIntact(read.Payload.Span), "A concurrent read returned a torn payload.");
                }
            });
        }

        await Task.WhenAll(tasks);

        ICacheStore reader = CreateStore();
        int torn = 0;
        for (int k = 0; k < keys.Length; k++)
        {
            long unreadableBefore = UnreadableEntriesFound(reader);
            CacheEntry? entry = await reader.GetAsync(keys[k]);
            if (entry is null && OverlappingWritesMayTear && UnreadableEntriesFound(reader) > unreadableBefore)
            {
                // The last two writes of this key overlapped on a server that writes in place, and the store refused the mixed bytes.
                torn++;
                continue;
            }

            Assert.NotNull(entry);
            Assert.True(SelfCheckingPayload.IsIntact(entry.Payload.Span), $"Key {k} holds a torn payload.");
            Assert.True(written.ContainsKey((k, SelfCheckingPayload.Identity(entry.Payload.Span))), $"Key {k} holds a value that was never written to it.");
        }

        Assert.True(torn <= keys.Length / 2, $"{torn} of {keys.Length} keys were left unreadable: more than overlapping last writes explain.");
    }

    [Fact]
    public async Task Runtime_second_call_is_a_hit_also_for_a_new_runtime_over_the_same_backend()
    {
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();

        string first = await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "hello", default, implementation.InvokeAsync);
        var outcome = new CacheOutcome();
        string second = await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "hello", new CacheControl { Outcome = outcome }, implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("hello", 1), first);
        Assert.Equal(first, second);
        Assert.Equal(1, implementation.Calls);
        Assert.True(outcome.IsHit);
    }

    [Fact]
    public async Task Runtime_s_maxage_does_not_serve_an_older_entry()
    {
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        string stored = await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);
        await Task.Delay(150);

        string young = await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { SMaxAge = TimeSpan.FromHours(1) }, implementation.InvokeAsync);
        Assert.Equal(stored, young);
        Assert.Equal(1, implementation.Calls);

        string fresh = await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { SMaxAge = TimeSpan.FromMilliseconds(20) }, implementation.InvokeAsync);
        Assert.Equal(CountingImplementation.AnswerFor("q", 2), fresh);
        Assert.Equal(2, implementation.Calls);

        string later = await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "q", default, implementation.InvokeAsync);
        Assert.Equal(fresh, later);
        Assert.Equal(2, implementation.Calls);
    }

    [Fact]
    public async Task Runtime_no_cache_calls_the_implementation_and_stores_its_result()
    {
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);

        string refreshed = await CachedCalls.AskAsync(runtime, method, "q", CacheControl.Refresh, implementation.InvokeAsync);
        Assert.Equal(CountingImplementation.AnswerFor("q", 2), refreshed);
        Assert.Equal(2, implementation.Calls);

        string cached = await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "q", default, implementation.InvokeAsync);
        Assert.Equal(refreshed, cached);
        Assert.Equal(2, implementation.Calls);
    }

    [Fact]
    public async Task Runtime_no_store_does_not_store_the_result()
    {
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        var noStore = new CacheControl { NoStore = true };

        await CachedCalls.AskAsync(runtime, method, "q", noStore, implementation.InvokeAsync);
        string second = await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);
        Assert.Equal(CountingImplementation.AnswerFor("q", 2), second);
        Assert.Equal(2, implementation.Calls);

        // no-store still reads: the entry the plain call stored is served.
        string read = await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "q", noStore, implementation.InvokeAsync);
        Assert.Equal(second, read);
        Assert.Equal(2, implementation.Calls);
    }

    [Fact]
    public async Task Runtime_per_call_ttl_expires_the_entry()
    {
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        var clock = Stopwatch.StartNew();

        await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { Ttl = ShortTtl }, implementation.InvokeAsync);
        await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);
        if (clock.Elapsed < ShortTtl)
        {
            Assert.Equal(1, implementation.Calls);
        }

        while (implementation.Calls == 1)
        {
            Assert.True(clock.Elapsed < ExpiryDeadline, $"The entry was still served {clock.Elapsed} after a per-call TTL of {ShortTtl}.");
            await Task.Delay(100);
            await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);
        }

        Assert.True(clock.Elapsed >= ShortTtl - TimeSpan.FromMilliseconds(50), $"The entry went after {clock.Elapsed}, before its TTL of {ShortTtl}.");
        Assert.Equal(2, implementation.Calls);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(3_000_000L * TimeSpan.TicksPerDay)]
    [InlineData(-TimeSpan.TicksPerMillisecond)]
    public async Task Runtime_ttl_past_the_calendar_or_infinite_keeps_the_entry_without_expiry(long ttlTicks)
    {
        // TimeSpan.MaxValue and a TTL past year 9999 saturate; Timeout.InfiniteTimeSpan (-1 ms) means no expiry.
        var control = new CacheControl { Ttl = TimeSpan.FromTicks(ttlTicks) };
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();

        string first = await CachedCalls.AskAsync(runtime, method, "q", control, implementation.InvokeAsync);
        string again = await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);
        string elsewhere = await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "q", default, implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 1), first);
        Assert.Equal(first, again);
        Assert.Equal(first, elsewhere);
        Assert.Equal(1, implementation.Calls);
        CacheEntry? stored = await CreateStore().GetAsync(CachedCalls.StoreKey(runtime, method, "q"));
        Assert.NotNull(stored);
        Assert.Null(stored.ExpiresAt);
    }

    [Fact]
    public async Task Runtime_zero_ttl_returns_the_answer_keeps_nothing_and_leaves_the_stored_entry()
    {
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        string kept = await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync);

        string refreshed = await CachedCalls.AskAsync(runtime, method, "q", new CacheControl { NoCache = true, Ttl = TimeSpan.Zero }, implementation.InvokeAsync);

        Assert.Equal(CountingImplementation.AnswerFor("q", 2), refreshed);
        Assert.Equal(kept, await CachedCalls.AskAsync(runtime, method, "q", default, implementation.InvokeAsync));
        Assert.Equal(kept, await CachedCalls.AskAsync(CreateRuntime(CreateStore()), method, "q", default, implementation.InvokeAsync));
        Assert.Equal(2, implementation.Calls);

        string once = await CachedCalls.AskAsync(runtime, method, "other", new CacheControl { Ttl = TimeSpan.Zero }, implementation.InvokeAsync);
        Assert.Equal(CountingImplementation.AnswerFor("other", 3), once);
        Assert.Null(await CreateStore().GetAsync(CachedCalls.StoreKey(runtime, method, "other")));
        Assert.Equal(CountingImplementation.AnswerFor("other", 4), await CachedCalls.AskAsync(runtime, method, "other", default, implementation.InvokeAsync));
    }

    [Fact]
    public async Task Runtime_concurrent_calls_each_get_the_answer_for_their_own_prompt()
    {
        LlmCacheRuntime runtime = CreateRuntime(CreateStore());
        CachedMethod<string> method = NewMethod();
        var implementation = new CountingImplementation();
        var calls = new Task<string>[64];
        for (int i = 0; i < calls.Length; i++)
        {
            string prompt = "p" + (i % 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
            calls[i] = Task.Run(() => CachedCalls.AskAsync(runtime, method, prompt, default, implementation.InvokeAsync).AsTask());
        }

        string[] answers = await Task.WhenAll(calls);

        for (int i = 0; i < answers.Length; i++)
        {
            Assert.StartsWith("p" + (i % 8).ToString(System.Globalization.CultureInfo.InvariantCulture) + " -> answer ", answers[i], StringComparison.Ordinal);
        }

        Assert.InRange(implementation.Calls, 8, calls.Length);
    }
}
