using System;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>The check every hit suite's set-up makes, so that each measured call is a hit of the same answer.</summary>
internal static class HitCheck
{
    /// <summary>
    /// Calls every path twice: the first round fills each cache, and the second must answer the model's text from the
    /// cache without reaching <paramref name="model"/>.
    /// </summary>
    public static async Task ExpectHitsAsync(FixedAnswerClient model, Func<Task<ChatResponse[]>> callEveryPath)
    {
        string expected = (await model.GetResponseAsync([])).Text;
        await callEveryPath();
        int misses = model.Calls;
        foreach (ChatResponse hit in await callEveryPath())
        {
            if (hit.Text != expected)
            {
                throw new InvalidOperationException($"A hit answered '{hit.Text}', not '{expected}'.");
            }
        }

        if (model.Calls != misses)
        {
            throw new InvalidOperationException("A call the benchmark counts as a hit reached the model.");
        }
    }
}
