using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// The count of write-behinds under way that <see cref="LlmCacheRuntime.FlushWritesAsync"/> waits on: a wait ends
/// only when no write is under way, writes begun meanwhile included, and never misses the end of the last one.
/// </summary>
public sealed class PendingWritesTests
{
    [Fact]
    public void With_no_write_under_way_a_wait_ends_at_once()
    {
        Assert.True(new PendingWrites().WhenNoneAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_wait_ends_when_the_last_write_ends_including_writes_begun_while_it_waits()
    {
        var writes = new PendingWrites();
        writes.Begin();
        writes.Begin();
        Task wait = writes.WhenNoneAsync(CancellationToken.None);

        writes.End();
        writes.Begin();
        writes.End();
        Assert.False(wait.IsCompleted);

        writes.End();
        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(writes.WhenNoneAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_cancelled_wait_stops_waiting_and_the_next_wait_still_ends()
    {
        var writes = new PendingWrites();
        writes.Begin();
        using var cancel = new CancellationTokenSource();
        Task cancelled = writes.WhenNoneAsync(cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        Task next = writes.WhenNoneAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        writes.End();
        await next.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Waits_racing_writes_on_every_core_all_end_once_the_writes_have()
    {
        var writes = new PendingWrites();
        int writers = Math.Max(2, Environment.ProcessorCount);
        using var started = new CountdownEvent(writers);
        bool stop = false;
        var threads = new Thread[writers];
        for (int w = 0; w < writers; w++)
        {
            threads[w] = new Thread(() =>
            {
                started.Signal();
                while (!Volatile.Read(ref stop))
                {
                    writes.Begin();
                    writes.End();
                }
            });
            threads[w].Start();
        }

        // Waits started while every writer makes the count go up and down end whenever it touches zero, or at the
        // latest after the last write: a lost wake-up leaves one waiting forever.
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the writers did not start");
        var waits = new Task[10_000];
        for (int i = 0; i < waits.Length; i++)
        {
            waits[i] = writes.WhenNoneAsync(CancellationToken.None);
        }

        Volatile.Write(ref stop, true);
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
