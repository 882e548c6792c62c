using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace LlmCache;

/// <summary>
/// Token counts of embedding calls cached per input: a batch's counts split into one share per input, and a
/// call's usage summed from its parts.
/// </summary>
internal static class EmbeddingUsage
{
    /// <summary>
    /// Splits the input, output and total token counts of <paramref name="usage"/> over <paramref name="inputs"/> in
    /// proportion to each input's length (a string's UTF-16 length; other inputs alike), rounding down and giving the
    /// rest to the last input, so the shares add up to the batch's counts exactly. Other counts are not split.
    /// </summary>
    public static UsageDetails?[] Split<TInput>(UsageDetails? usage, TInput[] inputs)
    {
        var shares = new UsageDetails?[inputs.Length];
        if (usage is null || inputs.Length == 0)
        {
            return shares;
        }

        long[] weights = new long[inputs.Length];
        long total = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            weights[i] = inputs[i] is string text ? text.Length : 1;
            total += weights[i];
        }

        if (total == 0)
        {
            Array.Fill(weights, 1);
            total = weights.Length;
        }

        long?[] input = Share(usage.InputTokenCount, weights, total);
        long?[] output = Share(usage.OutputTokenCount, weights, total);
        long?[] all = Share(usage.TotalTokenCount, weights, total);
        for (int i = 0; i < shares.Length; i++)
        {
            shares[i] = new UsageDetails { InputTokenCount = input[i], OutputTokenCount = output[i], TotalTokenCount = all[i] };
        }

        return shares;
    }

    /// <summary>The sum of the parts' counts; a count no part has stays unset, and no usage at all is <c>null</c>.</summary>
    public static UsageDetails? Sum(IEnumerable<UsageDetails?> parts)
    {
        UsageDetails? sum = null;
        foreach (UsageDetails? part in parts)
        {
            if (part is null)
            {
                continue;
            }

            sum ??= new UsageDetails();
            sum.InputTokenCount = Add(sum.InputTokenCount, part.InputTokenCount);
            sum.OutputTokenCount = Add(sum.OutputTokenCount, part.OutputTokenCount);
            sum.TotalTokenCount = Add(sum.TotalTokenCount, part.TotalTokenCount);
        }

        return sum;
    }

    private static long?[] Share(long? count, long[] weights, long total)
    {
        var shares = new long?[weights.Length];
        if (count is not { } value)
        {
            return shares;
        }

        long given = 0;
        for (int i = 0; i < weights.Length - 1; i++)
        {
            long share = (long)((Int128)value * weights[i] / total);
            shares[i] = share;
            given += share;
        }

        shares[^1] = value - given;
        return shares;
    }

    private static long? Add(long? a, long? b) => a is null ? b : b is null ? a : a + b;
}
