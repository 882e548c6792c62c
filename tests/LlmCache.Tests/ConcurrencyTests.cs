using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>Concurrent misses for one key make one implementation call (single-flight).</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_hundred_concurrent_calls_on_a_cold_cache_make_one_implementation_call()
    {
        var service = new GatedService(new LlmCacheRuntime());
        var calls = new Task<string>[200];
        Parallel.For(0, calls.Length, i => calls[i] = service.AnswerAsync("same question").AsTask());

        Assert.All(calls, c => Assert.False(c.IsCompleted));
        service.Open();
        string[] answers = await Task.WhenAll(calls);

        Assert.Equal(1, service.Calls);
        Assert.All(answers, a => Assert.Equal("same question#1", a));
    }

    [Fact]
    public async Task Cancelling_one_waiter_leaves_the_others_result_intact()
    {
        var service = new GatedService(new LlmCacheRuntime());
        using var cancelled = new CancellationTokenSource();
        Task<string> first = service.AnswerAsync("q", cancelled.Token).AsTask();
        await WaitUntilAsync(() => service.Calls == 1);
        Task<string>[] others = Enumerable.Range(0, 10).Select(_ => service.AnswerAsync("q").AsTask()).ToArray();

        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        service.Open();
        string[] answers = await Task.WhenAll(others);

        Assert.All(answers, a => Assert.Equal("q#1", a));
        Assert.Equal(1, service.Calls);
        Assert.Equal("q#1", await service.AnswerAsync("q"));
    }

    [Fact]
    public async Task When_every_waiter_cancels_the_shared_call_is_cancelled_and_nothing_is_stored()
    {
        var runtime = new LlmCacheRuntime();
        var service = new GatedService(runtime);
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();
        Task<string> first = service.AnswerAsync("q", a.Token).AsTask();
        await WaitUntilAsync(() => service.Calls == 1);
        Task<string> second = service.AnswerAsync("q", b.Token).AsTask();

        a.Cancel();
        b.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await WaitUntilAsync(() => runtime.InFlightCount == 0);

        Assert.Equal(0, runtime.MemoryStore.Count);
    }

    [Fact]
    public async Task When_every_waiter_cancels_the_shared_calls_token_is_cancelled()
    {
        var service = new StubbornService(new LlmCacheRuntime());
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();
        Task<string> first = service.AnswerAsync("q", a.Token).AsTask();
        await WaitUntilAsync(() => service.Calls == 1);
        Task<string> second = service.AnswerAsync("q", b.Token).AsTask();

        a.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(service.Tokens[0].IsCancellationRequested, "The shared call was cancelled while a waiter remained.");
        b.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        Assert.True(service.Tokens[0].IsCancellationRequested, "The shared call's token was not cancelled when every waiter left.");
        service.Open();
    }

    [Fact]
    public async Task After_every_waiter_cancels_new_callers_share_one_fresh_call()
    {
        var runtime = new LlmCacheRuntime();
        var service = new StubbornService(runtime);
        using var abandoned = new CancellationTokenSource();
        Task<string> first = service.AnswerAsync("q", abandoned.Token).AsTask();
        await WaitUntilAsync(() => service.Calls == 1);
        abandoned.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // The abandoned call ignores its token and is still running: the newcomers must not each run alone.
        Task<string>[] newcomers = Enumerable.Range(0, 10).Select(_ => service.AnswerAsync("q").AsTask()).ToArray();
        await WaitUntilAsync(() => service.Calls >= 2);
        service.Open();
        string[] answers = await Task.WhenAll(newcomers);

        Assert.Equal(2, service.Calls);
        Assert.All(answers, answer => Assert.Equal("q#2", answer));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition did not hold within 5 s");
    }
}

/// <summary>A slow implementation that ignores cancellation and records the token of each call.</summary>
public sealed partial class StubbornService(LlmCacheRuntime cache)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<CancellationToken> _tokens = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public CancellationToken[] Tokens => _tokens.ToArray();

    public void Open() => _gate.TrySetResult();

    [LlmCached]
    public partial ValueTask<string> AnswerAsync(string question, CancellationToken cancellationToken = default);

    private async ValueTask<string> AnswerAsyncCore(string question, CancellationToken cancellationToken)
    {
        _tokens.Enqueue(cancellationToken);
        int call = Interlocked.Increment(ref _calls);
        await _gate.Task;
        return $"{question}#{call}";
    }
}
