using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// The hit path allocates nothing: measured with GC.GetAllocatedBytesForCurrentThread after warm-up, for every key
/// input the README says builds its key without allocating (lists, arrays, concrete sets and dictionaries) and
/// with a CacheOutcome to fill.
/// </summary>
public sealed class AllocationTests
{
    private static readonly Message[] Messages =
    {
        new("system", new string('s', 700)),
        new("user", new string('u', 650)),
        new("assistant", new string('a', 650)),
    };

    [Fact]
    public void Building_the_key_allocates_nothing()
    {
        long allocated = AllocationProbe.Measure(WriteKey, out int length);
        Assert.True(length > 2000, $"the key should hold about 2 KB of messages, held {length} bytes");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_through_the_generated_method_allocates_nothing()
    {
        var service = new ChatService(new LlmCacheRuntime());
        string stored = await service.AskAsync("gpt-4o", Messages, 0.7f, 256);
        long allocated = AllocationProbe.Measure(() => Hit(service), out string last);
        Assert.Equal(stored, last);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_that_records_its_outcome_allocates_nothing()
    {
        var service = new ChatService(new LlmCacheRuntime());
        var outcome = new CacheOutcome();
        var control = new CacheControl { Outcome = outcome };
        string stored = await service.AskAsync("gpt-4o", Messages, 0.7f, 256, control);
        long allocated = AllocationProbe.Measure(() => Completed(service.AskAsync("gpt-4o", Messages, 0.7f, 256, control)), out string last);
        Assert.Equal(stored, last);
        Assert.True(outcome.IsHit);
        Assert.Equal("memory", outcome.Tier);
        Assert.Matches("^[0-9a-f]{32}$", outcome.Key);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_keyed_by_lists_sets_and_dictionaries_allocates_nothing()
    {
        var service = new CollectionService(new LlmCacheRuntime());
        var list = new List<Message>(Messages);
        var tags = new HashSet<string> { "alpha", "beta", "gamma", "delta", "epsilon" };
        var weights = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 3, ["d"] = 4 };
        FrozenSet<int> frozen = new[] { 5, 3, 1, 4 }.ToFrozenSet();
        ImmutableDictionary<string, double> immutable = ImmutableDictionary<string, double>.Empty.Add("x", 1.5).Add("y", 2.5);
        string stored = await service.AskAsync(list, tags, weights, frozen, immutable);

        // The same contents in another order are the same key: the sets are written in a canonical order.
        var reordered = new HashSet<string> { "epsilon", "delta", "gamma", "beta", "alpha" };
        var reweighted = new Dictionary<string, int> { ["d"] = 4, ["c"] = 3, ["b"] = 2, ["a"] = 1 };
        Assert.Equal(stored, await service.AskAsync(list, reordered, reweighted, frozen, immutable));
        long allocated = AllocationProbe.Measure(() => Completed(service.AskAsync(list, tags, weights, frozen, immutable)), out string last);
        Assert.Equal(stored, last);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_keyed_by_every_other_input_the_README_says_builds_without_allocating_allocates_nothing()
    {
        var service = new CollectionService(new LlmCacheRuntime());
        string[] words = { "d", "a", "c", "b" };
        var pairs = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };
        var inputs = new OtherInputs(
            words,
            ImmutableArray.Create(words),
            new System.Collections.ObjectModel.Collection<string>(new List<string>(words)),
            new LinkedList<string>(words),
            new Queue<string>(words),
            ImmutableList.CreateRange(words),
            ImmutableSortedSet.CreateRange(words),
            ImmutableSortedDictionary.CreateRange(pairs),
            ImmutableHashSet.CreateRange(words),
            pairs.ToFrozenDictionary(),
            new byte[] { 1, 2, 3 },
            new System.IO.MemoryStream(new byte[] { 4, 5, 6 }));
        string stored = await Other(service, inputs);
        long allocated = AllocationProbe.Measure(() => Completed(Other(service, inputs)), out string last);
        Assert.Equal(stored, last);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    private static ValueTask<string> Other(CollectionService service, OtherInputs x) =>
        service.DescribeAsync(x.Array, x.Immutable, x.Collection, x.Linked, x.Queue, x.ImmutableList, x.SortedSet, x.SortedDictionary, x.HashSet, x.Frozen, x.Bytes, x.Bytes, 7, DateTimeOffset.UnixEpoch, x.Stream);

    private static string Completed(ValueTask<string> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully);
        return pending.Result;
    }

    private static string Hit(ChatService service)
    {
        ValueTask<string> pending = service.AskAsync("gpt-4o", Messages, 0.7f, 256);
        Assert.True(pending.IsCompletedSuccessfully);
        return pending.Result;
    }

    private static int WriteKey()
    {
        Span<byte> buffer = stackalloc byte[4096];
        var writer = new CacheKeyWriter(buffer, ChatService.__LlmCache_AskAsync.GetMaxKeySize("gpt-4o", Messages, 0.7f, 256));
        try
        {
            ChatService.__LlmCache_AskAsync.WriteKey(ref writer, "gpt-4o", Messages, 0.7f, 256);
            return writer.Length;
        }
        finally
        {
            writer.Dispose();
        }
    }
}

/// <summary>A cached method keyed by a list and by unordered collections of the concrete types that enumerate without allocating.</summary>
public sealed partial class CollectionService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached]
    public partial ValueTask<string> AskAsync(List<Message> messages, HashSet<string> tags, Dictionary<string, int> weights, FrozenSet<int> ids, ImmutableDictionary<string, double> scores);

    [LlmCached]
    public partial ValueTask<string> DescribeAsync(
        string[] array, ImmutableArray<string> immutable, System.Collections.ObjectModel.Collection<string> collection, LinkedList<string> linked, Queue<string> queue,
        ImmutableList<string> immutableList, ImmutableSortedSet<string> sortedSet, ImmutableSortedDictionary<string, int> sortedDictionary, ImmutableHashSet<string> hashSet,
        FrozenDictionary<string, int> frozen, byte[] bytes, ReadOnlyMemory<byte> memory, int? number, DateTimeOffset at, System.IO.Stream audio);

    private ValueTask<string> DescribeAsyncCore(
        string[] array, ImmutableArray<string> immutable, System.Collections.ObjectModel.Collection<string> collection, LinkedList<string> linked, Queue<string> queue,
        ImmutableList<string> immutableList, ImmutableSortedSet<string> sortedSet, ImmutableSortedDictionary<string, int> sortedDictionary, ImmutableHashSet<string> hashSet,
        FrozenDictionary<string, int> frozen, byte[] bytes, ReadOnlyMemory<byte> memory, int? number, DateTimeOffset at, System.IO.Stream audio)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<string>($"{array.Length}:{frozen.Count}:{memory.Length}:{number}:{audio.Length}");
    }

    private ValueTask<string> AskAsyncCore(List<Message> messages, HashSet<string> tags, Dictionary<string, int> weights, FrozenSet<int> ids, ImmutableDictionary<string, double> scores)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<string>($"{messages.Count}:{tags.Count}:{weights.Count}:{ids.Count}:{scores.Count}");
    }
}

/// <summary>The key inputs of <see cref="CollectionService.DescribeAsync"/>, built once so the measured loop only calls.</summary>
internal sealed record OtherInputs(
    string[] Array,
    ImmutableArray<string> Immutable,
    System.Collections.ObjectModel.Collection<string> Collection,
    LinkedList<string> Linked,
    Queue<string> Queue,
    ImmutableList<string> ImmutableList,
    ImmutableSortedSet<string> SortedSet,
    ImmutableSortedDictionary<string, int> SortedDictionary,
    ImmutableHashSet<string> HashSet,
    FrozenDictionary<string, int> Frozen,
    byte[] Bytes,
    System.IO.Stream Stream);
