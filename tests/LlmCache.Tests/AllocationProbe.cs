using System;

namespace LlmCache.Tests;

/// <summary>
/// Measures what an operation allocates on the current thread: it runs ten times first (so that lazy statics, JIT
/// tiers and pools are warm), then <see cref="Runs"/> times between two readings of
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class AllocationProbe
{
    public const int Runs = 100;

    /// <summary>The bytes the measured runs allocated; <paramref name="last"/> is the last run's result.</summary>
    public static long Measure<T>(Func<T> operation, out T last)
    {
        for (int i = 0; i < 10; i++)
        {
            operation();
        }

        last = default!;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Runs; i++)
        {
            last = operation();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
