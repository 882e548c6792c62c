using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// A hit of the remote tier: it needs the key bytes only for their digest, so it allocates no copy of them, and it
/// still reports the key its entry is filed under. The store answers at once, so nothing but the lookup allocates.
/// </summary>
public sealed class RemoteHitTests
{
    private static readonly Message[] Messages = [new("user", new string('u', 8000))];

    [Fact]
    public async Task A_remote_hit_allocates_no_copy_of_its_key()
    {
        var store = new InstantRemoteStore();
        var service = new RemoteChatService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store)));
        string stored = await service.AskAsync(Messages);
        int readsBefore = store.Reads;

        long allocated = AllocationProbe.Measure(() => AllocationProbe.Synchronous(service.AskAsync(Messages)), out string last);

        Assert.Equal(stored, last);
        Assert.Equal(1, service.Calls);
        // Every call read the store: the ten warm-up calls and each measured round of Runs calls.
        int measured = store.Reads - readsBefore - 10;
        Assert.True(measured >= AllocationProbe.Runs && measured % AllocationProbe.Runs == 0, $"{measured} measured reads");
        long perHit = allocated / AllocationProbe.Runs;
        Assert.True(perHit < 4000, $"a remote hit of an 8 KB key allocated {perHit} bytes: a copy of the key is among them");
    }

    [Fact]
    public async Task A_remote_hit_reports_the_remote_key_it_was_read_under()
    {
        var store = new InstantRemoteStore();
        var service = new RemoteChatService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store)));
        var missed = new CacheOutcome();
        await service.AskAsync(Messages, new CacheControl { Outcome = missed });
        var hit = new CacheOutcome();

        await service.AskAsync(Messages, new CacheControl { Outcome = hit });

        CacheStoreKey key = store.Keys.Single();
        Assert.Equal(CacheOutcomeStatus.Miss, missed.Status);
        Assert.Equal(CacheOutcomeStatus.Hit, hit.Status);
        Assert.Equal(InstantRemoteStore.TierName, hit.Tier);
        Assert.Equal(key.Hex, missed.RemoteKey);
        Assert.Equal(key.Hex, hit.RemoteKey);
        Assert.Equal(key.Namespace, hit.Namespace);
    }

    [Fact]
    public async Task A_remote_miss_with_no_flight_ended_meanwhile_reads_the_store_once()
    {
        // The flight looks again only for an answer that another flight of this key stored after this call's read
        // began; with none ended since, a second read would cost every miss a second round trip to the store.
        var store = new InstantRemoteStore();
        var service = new RemoteChatService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store)));

        await service.AskAsync(Messages);

        Assert.Equal(1, service.Calls);
        Assert.Equal(1, store.Reads);
    }
}

/// <summary>A cached method over a remote-tier store (a custom one, with no memory tier in front).</summary>
public sealed partial class RemoteChatService(LlmCacheRuntime cache)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [LlmCached(Type = CacheType.Custom)]
    public partial ValueTask<string> AskAsync(IReadOnlyList<Message> messages, CacheControl control = default);

    private ValueTask<string> AskAsyncCore(IReadOnlyList<Message> messages) =>
        new($"{messages.Count} messages, answer #{Interlocked.Increment(ref _calls)}");
}
