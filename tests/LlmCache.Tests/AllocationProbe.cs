using System;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>
/// Measures what an operation allocates on the current thread: it runs ten times first (so that lazy statics, JIT
/// tiers and pools are warm), then <see cref="Runs"/> times between two readings of
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, in up to <see cref="Rounds"/> rounds, and gives the least round.
/// </summary>
/// <remarks>
/// The key writer's string memo is process-wide and bounded: tests running beside this one can push a remembered
/// string out, and the next key that writes it remembers it again, once. That is the memo's cost, not the
/// operation's; an allocation of the operation's own shows in every round.
/// </remarks>
internal static class AllocationProbe
{
    public const int Runs = 100;

    private const int Rounds = 5;

    /// <summary>The bytes the measured runs allocated in the least round; <paramref name="last"/> is the last run's result.</summary>
    public static long Measure<T>(Func<T> operation, out T last)
    {
        for (int i = 0; i < 10; i++)
        {
            operation();
        }

        last = default!;
        long least = long.MaxValue;
        for (int round = 0; round < Rounds && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Runs; i++)
            {
                last = operation();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    /// <summary>The result of a call that must have completed on the caller's thread, so that its allocation is all counted there.</summary>
    public static T Synchronous<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("The call did not complete synchronously.");
}
