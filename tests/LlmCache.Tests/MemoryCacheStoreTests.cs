using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>The memory store's bounds, eviction order and expiry.</summary>
public sealed class MemoryCacheStoreTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Passing_the_entry_limit_evicts_the_least_recently_used_first()
    {
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxEntries = 10 }, _time);
        for (int i = 0; i < 10; i++)
        {
            await store.SetAsync(Key(i), Entry("v" + i));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.NotNull(await store.GetAsync(Key(0)));
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.SetAsync(Key(10), Entry("v10"));

        Assert.True(store.Count <= 9, $"eviction should bring the store to 90% of its limit, it holds {store.Count}");
        Assert.NotNull(await store.GetAsync(Key(0)));
        Assert.Null(await store.GetAsync(Key(1)));
        Assert.NotNull(await store.GetAsync(Key(10)));
    }

    [Fact]
    public void Passing_the_entry_limit_evicts_exactly_the_least_recently_used_whatever_the_order_they_were_used_in()
    {
        const int Limit = 200;
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxEntries = Limit }, _time);
        var keys = new (CacheKeyHash Hash, byte[] Key)[Limit + 1];
        for (int i = 0; i < keys.Length; i++)
        {
            byte[] key = BitConverter.GetBytes(i);
            keys[i] = (CacheKeyDigests.ComputeInProcess(key), key);
        }

        for (int i = 0; i < Limit; i++)
        {
            store.Set(keys[i].Hash, keys[i].Key, "ns", i, 0, _time.GetUtcNow(), null);
        }

        // Each entry used once more, in a shuffled order: the order of use, not of adding, decides.
        int[] order = new int[Limit];
        for (int i = 0; i < Limit; i++)
        {
            order[i] = i;
        }

        new Random(13).Shuffle(order);
        foreach (int i in order)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(store.TryGet(keys[i].Hash, keys[i].Key, null, out int _, out _));
        }

        _time.Advance(TimeSpan.FromMilliseconds(1));
        store.Set(keys[Limit].Hash, keys[Limit].Key, "ns", Limit, 0, _time.GetUtcNow(), null);

        int evicted = Limit + 1 - store.Count;
        Assert.True(evicted >= Limit / 10, $"{evicted} evicted");
        for (int position = 0; position < Limit; position++)
        {
            int i = order[position];
            Assert.Equal(position >= evicted, store.TryGet(keys[i].Hash, keys[i].Key, null, out int _, out _));
        }
    }

    [Fact]
    public async Task Passing_the_byte_limit_evicts_until_the_store_fits()
    {
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxBytes = 10_000 }, _time);
        for (int i = 0; i < 50; i++)
        {
            await store.SetAsync(Key(i), new CacheEntry(new byte[1000], CachePayloadKind.Bytes, _time.GetUtcNow(), null));
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.True(store.Size <= 10_000, $"the store counts {store.Size} bytes");
        Assert.NotNull(await store.GetAsync(Key(49)));
        Assert.Null(await store.GetAsync(Key(0)));
    }

    [Fact]
    public void An_eviction_allocates_no_copy_of_the_store_s_entries()
    {
        // A full store evicts on the caller's path: a list of every entry (a large-object-heap array at 10,000 entries) made
        // for each eviction costs the miss that triggers it, and the gen-2 collections it brings cost every call after.
        const int Limit = 10_000;
        const int Warmup = Limit + 5_000;
        const int Measured = 20_000;
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxEntries = Limit }, _time);
        (CacheKeyHash Hash, byte[] Key)[] keys = new (CacheKeyHash, byte[])[Warmup + Measured];
        for (int i = 0; i < keys.Length; i++)
        {
            byte[] key = BitConverter.GetBytes(i);
            keys[i] = (CacheKeyDigests.ComputeInProcess(key), key);
        }

        // Five evictions first: the store's buffers exist and its table has grown to its working size.
        for (int i = 0; i < Warmup; i++)
        {
            Add(i);
        }

        // Each add measured alone: an add that evicts nothing costs the median, so what the twenty evicting adds cost
        // beyond it is the evictions'. The bound is a quarter of one list of every entry per eviction: it leaves room
        // for the one time the dictionary itself may still grow its table (a copy of its nodes, not of ours).
        long[] perAdd = new long[Measured];
        int evictions = 0;
        for (int i = 0; i < Measured; i++)
        {
            int before = store.Count;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            Add(Warmup + i);
            perAdd[i] = GC.GetAllocatedBytesForCurrentThread() - allocated;
            evictions += store.Count < before ? 1 : 0;
        }

        long median = perAdd.Order().ElementAt(Measured / 2);
        long beyond = perAdd.Sum() - (median * Measured);
        long listPerEviction = (long)evictions * Limit * (IntPtr.Size + 16);
        Assert.True(store.Count <= Limit, $"the store holds {store.Count} entries");
        Assert.True(evictions >= Measured / Limit, $"{evictions} evictions in {Measured} adds over a limit of {Limit}");
        Assert.True(beyond < listPerEviction / 4, $"{evictions} evictions allocated {beyond} bytes beyond the adds' {median} bytes each; a list of every entry for each would be {listPerEviction}");

        void Add(int i)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            store.Set(keys[i].Hash, keys[i].Key, "ns", "value", 5, _time.GetUtcNow(), null);
        }
    }

    [Fact]
    public async Task Expired_entries_are_not_returned_and_are_removed_on_read()
    {
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions(), _time);
        await store.SetAsync(Key(1), new CacheEntry(Encoding.UTF8.GetBytes("x"), CachePayloadKind.Utf8String, _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(5)));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.NotNull(await store.GetAsync(Key(1)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetAsync(Key(1)));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Writes_after_disposal_keep_nothing()
    {
        var store = new MemoryCacheStore(new MemoryCacheStoreOptions(), _time);
        await store.SetAsync(Key(0), Entry("v0"));

        store.Dispose();
        await store.SetAsync(Key(1), Entry("v1"));

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.Size);
        Assert.Null(await store.GetAsync(Key(1)));
    }

    [Fact]
    public async Task A_miss_that_ends_after_the_runtime_is_disposed_answers_and_keeps_nothing()
    {
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { TimeProvider = _time });
        var service = new GatedService(runtime);
        Task<string> pending = service.AnswerAsync("q").AsTask();
        for (int i = 0; i < 500 && service.Calls == 0; i++)
        {
            await Task.Delay(10);
        }

        runtime.Dispose();
        service.Open();

        Assert.Equal("q#1", await pending);
        Assert.Equal(0, runtime.MemoryStore.Count);
    }

    [Fact]
    public async Task Clearing_a_namespace_leaves_the_others()
    {
        using var store = new MemoryCacheStore();
        byte[] digest = CacheKeyDigests.ComputeRemote("same"u8);
        await store.SetAsync(new CacheStoreKey("a", digest), Entry("in a"));
        await store.SetAsync(new CacheStoreKey("b", digest), Entry("in b"));

        await store.ClearNamespaceAsync("a");

        Assert.Null(await store.GetAsync(new CacheStoreKey("a", digest)));
        Assert.Equal("in b", Encoding.UTF8.GetString((await store.GetAsync(new CacheStoreKey("b", digest)))!.Payload.Span));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Invalid_limits_fail_with_the_setting_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryCacheStore(new MemoryCacheStoreOptions { MaxBytes = 0 }));
        Assert.Contains("LlmCache:Memory:MaxBytes", error.Message, StringComparison.Ordinal);
    }

    private CacheEntry Entry(string value) => new(Encoding.UTF8.GetBytes(value), CachePayloadKind.Utf8String, _time.GetUtcNow(), null);

    private static CacheStoreKey Key(int i) => new("ns", CacheKeyDigests.ComputeRemote(BitConverter.GetBytes(i)));
}
