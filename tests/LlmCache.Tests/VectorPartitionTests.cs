using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace LlmCache.Tests;

/// <summary>The write log a partition keeps while its approximate index is built in the background.</summary>
public class VectorPartitionTests
{
    private static readonly float[] First = [1f, 0f];
    private static readonly float[] Second = [0f, 1f];

    [Fact]
    public void A_round_of_pending_writes_holds_each_key_once_at_its_end_state_whatever_the_order_of_its_writes()
    {
        var ages = new LinkedList<AgeEntry>();
        var partition = new VectorPartition("ns", "scope", dimensions: 2);
        partition.Add("kept", First, "kept", long.MaxValue, key: 1, ages.AddLast(new AgeEntry(partition, "kept")));
        partition.BeginApproximate();

        // Key 2 is written, removed and written again with another vector; key 1 is removed; key 3 comes and goes.
        partition.Add("again", First, "again", long.MaxValue, key: 2, ages.AddLast(new AgeEntry(partition, "again")));
        Assert.True(partition.TryGetRow("again", out int row));
        partition.RemoveAt(row);
        partition.Add("again", Second, "again", long.MaxValue, key: 2, ages.AddLast(new AgeEntry(partition, "again")));
        Assert.True(partition.TryGetRow("kept", out row));
        partition.RemoveAt(row);
        partition.Add("gone", First, "gone", long.MaxValue, key: 3, ages.AddLast(new AgeEntry(partition, "gone")));
        Assert.True(partition.TryGetRow("gone", out row));
        partition.RemoveAt(row);

        (float[] vectors, long[] keys, long[] removed) = partition.TakePendingWrites();

        Assert.Equal([2L], keys);
        Assert.Equal(Second, vectors);
        Assert.Equal([1L, 2L, 3L], removed.Order());
        Assert.Equal(0, partition.PendingWrites);
    }
}
