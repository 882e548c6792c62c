using System;
using System.Threading;

namespace LlmCache.Benchmarks;

/// <summary>
/// Dedicated threads that each run their slice of the work at the same moment, once per <see cref="Run"/>: the
/// callers are real threads from the start, not thread-pool work items that a 2-core pool would run two at a time.
/// </summary>
public sealed class ThroughputCallers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Barrier _start;
    private readonly Barrier _done;
    private volatile bool _stopping;

    public ThroughputCallers(int count, Action<int> slice)
    {
        _start = new Barrier(count + 1);
        _done = new Barrier(count + 1);
        _threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            int caller = i;
            _threads[i] = new Thread(() =>
            {
                while (true)
                {
                    _start.SignalAndWait();
                    if (_stopping)
                    {
                        return;
                    }

                    slice(caller);
                    _done.SignalAndWait();
                }
            }) { IsBackground = true, Name = $"caller {caller}" };
            _threads[i].Start();
        }
    }

    /// <summary>Runs every caller's slice at once and returns when all have finished.</summary>
    public void Run()
    {
        _start.SignalAndWait();
        _done.SignalAndWait();
    }

    public void Dispose()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }
}
