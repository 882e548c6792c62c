using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// A miss of a remote tier with no memory tier in front: its single flight tells keys apart by the remote key's
/// digest, so the miss copies nothing that grows with the request, and concurrent callers of one key still share
/// one call while callers of different keys, or of one request in two namespaces, do not.
/// </summary>
public sealed class RemoteMissTests
{
    // 100 characters a turn: the key holds all 48,000 characters (a string enters it as its digest only from 2,048
    // bytes), and no turn is long enough for the process-wide string memo, whose 64 slots would otherwise churn
    // with this conversation's own strings and other tests' and allocate on the call being measured.
    private static readonly Message[] LongConversation = Turns(480);
    private static readonly Message[] ShortConversation = Turns(10);

    [Fact]
    public void What_a_remote_only_miss_allocates_does_not_grow_with_its_key()
    {
        var store = new MissingStore();
        var service = new RemoteChatService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store)));

        long shortMisses = AllocationProbe.Measure(() => AllocationProbe.Synchronous(service.AskAsync(ShortConversation)), out _);
        int callsBefore = service.Calls;
        long longMisses = AllocationProbe.Measure(() => AllocationProbe.Synchronous(service.AskAsync(LongConversation)), out _);

        // Every call was a miss: the store keeps nothing.
        Assert.True(service.Calls - callsBefore >= 10 + AllocationProbe.Runs, $"{service.Calls - callsBefore} calls");
        long grown = (longMisses - shortMisses) / AllocationProbe.Runs;
        Assert.True(grown < 1024, $"a miss of 480 turns allocated {grown} bytes a call more than one of 10 turns: a copy of the key is among them");
    }

    [Fact]
    public async Task Concurrent_misses_of_one_key_share_one_call()
    {
        var service = new GatedRemoteService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new InstantRemoteStore())));
        var calls = new Task<string>[50];
        Parallel.For(0, calls.Length, i => calls[i] = service.AskAsync(LongConversation).AsTask());

        Assert.All(calls, c => Assert.False(c.IsCompleted));
        service.Open();
        string[] answers = await Task.WhenAll(calls);

        Assert.Equal(1, service.Calls);
        Assert.All(answers, a => Assert.Equal("480 turns, call #1", a));
    }

    [Fact]
    public async Task Concurrent_misses_of_other_keys_or_namespaces_do_not_share_a_call()
    {
        var store = new InstantRemoteStore();
        var service = new GatedRemoteService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, store)));
        Message[] edited = [.. LongConversation[..^1], LongConversation[^1] with { Text = LongConversation[^1].Text + "?" }];

        Task<string>[] calls =
        [
            service.AskAsync(LongConversation).AsTask(),
            service.AskAsync(edited).AsTask(),
            service.AskAsync(LongConversation, new CacheControl { Namespace = "tenant-b" }).AsTask(),
        ];
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        service.Open();
        string[] answers = await Task.WhenAll(calls);

        Assert.Equal(3, service.Calls);
        Assert.Equal(3, answers.Distinct().Count());
        Assert.Equal(3, store.Keys.Count);
    }

    private static Message[] Turns(int count) =>
        Enumerable.Range(0, count).Select(i => new Message(i % 2 == 0 ? "user" : "assistant", new string((char)('a' + (i % 26)), 100))).ToArray();
}

/// <summary>A cached method over a remote-tier store whose implementation waits until <see cref="Open"/>.</summary>
public sealed partial class GatedRemoteService(LlmCacheRuntime cache)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Open() => _gate.TrySetResult();

    [LlmCached(Type = CacheType.Custom)]
    public partial ValueTask<string> AskAsync(IReadOnlyList<Message> messages, CacheControl control = default);

    private async ValueTask<string> AskAsyncCore(IReadOnlyList<Message> messages)
    {
        int call = Interlocked.Increment(ref _calls);
        await _gate.Task;
        return $"{messages.Count} turns, call #{call}";
    }
}
