using System;
using System.Threading.Tasks;

namespace LlmCache.Tests;

/// <summary>The hit path allocates nothing: measured with GC.GetAllocatedBytesForCurrentThread after warm-up.</summary>
public sealed class AllocationTests
{
    private static readonly Message[] Messages =
    {
        new("system", new string('s', 700)),
        new("user", new string('u', 650)),
        new("assistant", new string('a', 650)),
    };

    [Fact]
    public void Building_the_key_allocates_nothing()
    {
        int length = WriteKey();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            length = WriteKey();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(length > 2000, $"the key should hold about 2 KB of messages, held {length} bytes");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_through_the_generated_method_allocates_nothing()
    {
        var service = new ChatService(new LlmCacheRuntime());
        string stored = await service.AskAsync("gpt-4o", Messages, 0.7f, 256);
        for (int i = 0; i < 10; i++)
        {
            Hit(service);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        string? last = null;
        for (int i = 0; i < 100; i++)
        {
            last = Hit(service);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(stored, last);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    private static string Hit(ChatService service)
    {
        ValueTask<string> pending = service.AskAsync("gpt-4o", Messages, 0.7f, 256);
        Assert.True(pending.IsCompletedSuccessfully);
        return pending.Result;
    }

    private static int WriteKey()
    {
        Span<byte> buffer = stackalloc byte[4096];
        var writer = new CacheKeyWriter(buffer, ChatService.__LlmCache_AskAsync.GetMaxKeySize("gpt-4o", Messages, 0.7f, 256));
        try
        {
            ChatService.__LlmCache_AskAsync.WriteKey(ref writer, "gpt-4o", Messages, 0.7f, 256);
            return writer.Length;
        }
        finally
        {
            writer.Dispose();
        }
    }
}
