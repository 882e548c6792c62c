using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// The memory store keeps the memory of removed entries' keys for the next keys (<see cref="KeyBufferPool"/>): a full
/// store's misses stop allocating their keys, and no hit may ever match against memory that has gone to another key.
/// </summary>
public sealed class KeyMemoryReuseTests
{
    private const int KeyLength = 4_400;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_full_store_keeps_new_keys_in_the_memory_of_the_keys_it_evicted()
    {
        const int Limit = 1_000;
        const int Warmup = 3 * Limit;
        const int Measured = 2 * Limit;
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxEntries = Limit }, _time);
        byte[] key = new byte[KeyLength];
        for (int i = 0; i < Warmup; i++)
        {
            Add(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
        {
            Add(Warmup + i);
        }

        long perAdd = (GC.GetAllocatedBytesForCurrentThread() - before) / Measured;

        // The entry, its key's record and the table's node remain, a few hundred bytes; a new key would be 4,400 more.
        Assert.True(perAdd < KeyLength / 4, $"each add past the limit allocated {perAdd} bytes; the key is {KeyLength}");
        Assert.True(store.Count <= Limit, $"the store holds {store.Count} entries");
        for (int i = Warmup + Measured - 10; i < Warmup + Measured; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            Assert.True(store.TryGet(CacheKeyDigests.ComputeInProcess(key), key, null, out int value, out _));
            Assert.Equal(i, value);
        }

        void Add(int i)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            BitConverter.TryWriteBytes(key, i);
            store.Set(CacheKeyDigests.ComputeInProcess(key), key, "ns", i, 4, _time.GetUtcNow(), null);
        }
    }

    [Fact]
    public async Task A_hit_never_serves_an_entry_whose_key_memory_has_gone_to_another_key()
    {
        // Every key is filed under one of two digests, as if they collided: each write replaces the entry under its
        // digest, and its key's memory goes at once to the next write, while hits still compare against it. A hit that
        // found entry i, then compared its probe (key j) with the memory now holding key j, would answer i for j.
        using var store = new MemoryCacheStore(new MemoryCacheStoreOptions(), _time);
        CacheKeyHash[] digests = [CacheKeyDigests.ComputeInProcess([1]), CacheKeyDigests.ComputeInProcess([2])];
        const int Keys = 8;
        int wrong = 0;
        int hits = 0;
        long deadline = Environment.TickCount64 + 1_000;
        Task[] workers = new Task[Math.Max(2, Environment.ProcessorCount)];
        for (int w = 0; w < workers.Length; w++)
        {
            int seed = w;
            workers[w] = Task.Factory.StartNew(
                () =>
            {
                var random = new Random(seed);
                byte[] key = new byte[256];
                while (Environment.TickCount64 < deadline)
                {
                    int i = random.Next(Keys);
                    key.AsSpan().Fill((byte)i);
                    if (store.TryGet(digests[i % 2], key, null, out int value, out _))
                    {
                        Interlocked.Increment(ref hits);
                        if (value != i)
                        {
                            Interlocked.Increment(ref wrong);
                        }
                    }
                    else
                    {
                        store.Set(digests[i % 2], key, "ns", i, 4, _time.GetUtcNow(), null);
                    }
                }
            },
                TaskCreationOptions.LongRunning);
        }

        await Task.WhenAll(workers);

        Assert.True(hits > 1_000, $"only {hits} hits");
        Assert.Equal(0, wrong);
    }

    [Fact]
    public async Task A_reported_key_keeps_its_memory_and_its_remote_key_after_its_entry_is_evicted()
    {
        // The outcome formats its remote key only when read, from the entry's key: that memory must not be reused.
        var options = new LlmCacheOptions();
        options.Memory.MaxEntries = 10;
        await using var runtime = new LlmCacheRuntime(options);
        var service = new OperatedService(runtime);
        var miss = new CacheOutcome();
        var hit = new CacheOutcome();
        string question = new('q', 500);
        await service.AnswerAsync(question, new CacheControl { Outcome = miss });
        await service.AnswerAsync(question, new CacheControl { Outcome = hit });
        Assert.Equal(CacheOutcomeStatus.Hit, hit.Status);

        // Questions of the same length, so their keys want memory of the same size; many evictions reuse what they free.
        for (int i = 0; i < 200; i++)
        {
            await service.AnswerAsync(new string((char)('a' + (i % 16)), 490) + i.ToString("D10"));
        }

        Assert.True(runtime.MemoryStore.PooledKeyBytes > 0, "the evictions kept no memory to reuse");
        Assert.Matches("^[0-9a-f]{64}$", miss.RemoteKey);
        Assert.Equal(miss.RemoteKey, hit.RemoteKey);
    }

    [Fact]
    public void The_memory_kept_for_new_keys_is_bounded_by_a_tenth_of_the_store_s_limits_and_let_go_on_disposal()
    {
        var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxEntries = 100, MaxBytes = 1_000_000 }, _time);
        byte[] key = new byte[1_000];
        for (int i = 0; i < 100; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            store.Set(CacheKeyDigests.ComputeInProcess(key), key, "ns", i, 0, _time.GetUtcNow(), null);
        }

        store.Clear();
        Assert.Equal(0, store.Count);

        // Eleven buffers of 1,024 bytes (a tenth of the entries, and one): the other 89 keys were dropped.
        Assert.Equal(11 * KeyBufferPool.SizeClass(key.Length), store.PooledKeyBytes);

        store.Dispose();
        Assert.Equal(0, store.PooledKeyBytes);
    }

    [Fact]
    public void A_retired_key_reads_as_changed_and_a_kept_one_never_gives_its_memory_up()
    {
        byte[] memory = new byte[64];
        var retired = new StoredKey(memory, 10);
        Assert.True(retired.WasIntact());
        Assert.Same(memory, retired.Retire());
        Assert.False(retired.WasIntact());
        Assert.False(retired.TryKeep());
        Assert.Null(retired.Retire());

        var kept = new StoredKey(memory, 10);
        Assert.True(kept.TryKeep());
        Assert.True(kept.TryKeep());
        Assert.Null(kept.Retire());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1_000)]
    [InlineData(4_096)]
    [InlineData(4_097)]
    [InlineData(KeyLength)]
    [InlineData(1 << 20)]
    public void A_key_s_memory_is_at_most_an_eighth_longer_than_the_key_and_lives_where_young_collections_do_not_copy_it(int length)
    {
        int size = KeyBufferPool.SizeClass(length);
        Assert.InRange(size, Math.Max(length, 64), Math.Max(64, length + (length / 8)));

        // Kept as long as its entries, it would be copied by every young collection on its way to gen 2.
        byte[] buffer = new KeyBufferPool(1_000, 1).Rent(length);
        Assert.Equal(size, buffer.Length);
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(buffer));
    }
}
