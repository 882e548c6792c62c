using System;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>Retained-memory measurements: alone, so no other test's allocations are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VectorIndexMemoryCollection
{
    public const string Name = "Vector index memory";
}

[Collection(VectorIndexMemoryCollection.Name)]
public sealed class VectorIndexMemoryTests
{
    [Fact]
    public async Task Upserting_the_same_record_again_and_again_retains_no_memory_per_upsert()
    {
        var index = new ExactVectorIndex(maxRecords: 10);
        var record = new VectorRecord("", "s", "same", new float[] { 1, 0 }, "text", null);
        await index.UpsertAsync(record);
        long before = GC.GetTotalMemory(forceFullCollection: true);

        for (int i = 0; i < 300_000; i++)
        {
            await index.UpsertAsync(record);
        }

        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(index);
        Assert.Equal(1, index.Count);
        // 300,000 upserts of one record: anything kept per upsert would be megabytes.
        Assert.True(retained < 1_000_000, $"{retained:N0} bytes retained after 300,000 upserts of one record");
    }
}
