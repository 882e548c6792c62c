using System;
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

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition did not hold within 5 s");
    }
}
