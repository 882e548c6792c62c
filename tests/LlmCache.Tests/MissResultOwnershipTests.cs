using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// Who gets the implementation's own answer on a miss. A caller whose miss nobody joined, with no memory tier to keep
/// the object and no write-behind still serialising it, gets that very instance, as if it had called the
/// implementation itself; every other caller gets its own copy, so no two callers, and no caller and a tier, ever
/// hold one mutable answer.
/// </summary>
public sealed class MissResultOwnershipTests
{
    [Fact]
    public async Task A_remote_only_miss_nobody_joined_hands_over_the_answer_the_implementation_made()
    {
        var service = new AnsweringService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new InstantRemoteStore())));

        ChatResponse first = await service.AskRemoteAsync("bags?");
        Assert.Same(service.Made.Single(), first);

        // The stored bytes were written before it was handed over: editing it changes nothing stored.
        first.Messages[0].Contents.Clear();
        ChatResponse hit = await service.AskRemoteAsync("bags?");
        Assert.Single(service.Made);
        Assert.NotSame(first, hit);
        Assert.Equal("answer #1 to bags?", hit.Text);
    }

    [Fact]
    public async Task A_no_cache_call_joins_nobody_and_keeps_its_answer()
    {
        var service = new AnsweringService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new InstantRemoteStore())));

        ChatResponse fresh = await service.AskRemoteAsync("bags?", new CacheControl { NoCache = true });
        Assert.Same(service.Made.Single(), fresh);
    }

    [Fact]
    public async Task Callers_that_shared_one_remote_only_miss_each_get_their_own_copy()
    {
        var service = new AnsweringService(new LlmCacheRuntime(new LlmCacheOptions().UseStore(CacheType.Custom, new InstantRemoteStore()))) { Gated = true };
        Task<ChatResponse>[] calls = Enumerable.Range(0, 20).Select(_ => service.AskRemoteAsync("bags?").AsTask()).ToArray();
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        service.Open();
        ChatResponse[] answers = await Task.WhenAll(calls);

        ChatResponse made = service.Made.Single();
        Assert.All(answers, a => Assert.NotSame(made, a));
        Assert.Equal(answers.Length, answers.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(answers, a => Assert.Equal("answer #1 to bags?", a.Text));
    }

    [Fact]
    public async Task A_miss_the_memory_tier_keeps_hands_over_a_copy()
    {
        var service = new AnsweringService(new LlmCacheRuntime());

        ChatResponse first = await service.AskInMemoryAsync("bags?");
        Assert.NotSame(service.Made.Single(), first);

        first.Messages[0].Contents.Clear();
        Assert.Equal("answer #1 to bags?", (await service.AskInMemoryAsync("bags?")).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_miss_written_behind_hands_over_a_copy(bool noCache)
    {
        var runtime = new LlmCacheRuntime(new LlmCacheOptions { WriteBehind = true }.UseStore(CacheType.Custom, new InstantRemoteStore()));
        var service = new AnsweringService(runtime);

        // Under no-cache too, which joins no flight: the write still reads the answer on a pool thread.
        ChatResponse first = await service.AskRemoteAsync("bags?", new CacheControl { NoCache = noCache });
        Assert.NotSame(service.Made.Single(), first);

        // The write serialised the answer the implementation made, not the caller's copy being edited.
        first.Messages[0].Contents.Clear();
        await runtime.FlushWritesAsync();
        Assert.Equal("answer #1 to bags?", (await service.AskRemoteAsync("bags?")).Text);
    }
}

/// <summary>Cached methods whose implementation makes a new answer on every call and remembers each one it made.</summary>
public sealed partial class AnsweringService(LlmCacheRuntime cache)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ChatResponse> _made = [];

    /// <summary>Whether the implementation waits for <see cref="Open"/> before it answers.</summary>
    public bool Gated { get; init; }

    public IReadOnlyList<ChatResponse> Made
    {
        get
        {
            lock (_made)
            {
                return [.. _made];
            }
        }
    }

    public void Open() => _gate.TrySetResult();

    [LlmCached(Type = CacheType.Custom)]
    public partial ValueTask<ChatResponse> AskRemoteAsync(string question, CacheControl control = default);

    [LlmCached]
    public partial ValueTask<ChatResponse> AskInMemoryAsync(string question);

    private ValueTask<ChatResponse> AskRemoteAsyncCore(string question) => AnswerAsync(question);

    private ValueTask<ChatResponse> AskInMemoryAsyncCore(string question) => AnswerAsync(question);

    private async ValueTask<ChatResponse> AnswerAsync(string question)
    {
        if (Gated)
        {
            await _gate.Task;
        }

        lock (_made)
        {
            var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer #{_made.Count + 1} to {question}"));
            _made.Add(answer);
            return answer;
        }
    }
}
