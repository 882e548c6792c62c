using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>The allocation test of the foundation, repeated with Microsoft.Extensions.AI messages and options.</summary>
public sealed class MeaiAllocationTests
{
    private static readonly List<ChatMessage> Messages =
    [
        new(ChatRole.System, new string('s', 700)),
        new(ChatRole.User, new string('u', 650)),
        new(ChatRole.Assistant, new string('a', 650)),
    ];

    private static readonly ChatOptions Options = MeaiKeyTests.Options(extra: 1);

    [Fact]
    public void Building_the_key_allocates_nothing()
    {
        long allocated = AllocationProbe.Measure(WriteKey, out int length);
        Assert.True(length > 2000, $"the key should hold about 2 KB of messages, held {length} bytes");
        Assert.Equal(2, Options.Tools!.Count);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_through_the_generated_method_allocates_nothing()
    {
        var service = new MeaiChatService(new LlmCacheRuntime());
        string stored = await service.ChatAsync(Messages, Options);
        long allocated = AllocationProbe.Measure(() => Hit(service), out string last);
        Assert.Equal(stored, last);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_memory_hit_through_the_middleware_sharing_its_results_allocates_only_the_returned_task()
    {
        IChatClient client = new LlmCachingChatClient(new CountingChatClient(), new LlmCacheRuntime(), new LlmCachingChatClientOptions { ShareResult = true });
        ChatResponse stored = await client.GetResponseAsync(Messages, Options);
        for (int i = 0; i < 10; i++)
        {
            _ = client.GetResponseAsync(Messages, Options);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        Task<ChatResponse>? last = null;
        for (int i = 0; i < 100; i++)
        {
            last = client.GetResponseAsync(Messages, Options);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long tasks = AllocatedByCompletedTasks(stored, 100);
        Assert.True(last!.IsCompletedSuccessfully);
        Assert.Same(stored, await last);
        Assert.Equal(tasks, allocated);
    }

    private static long AllocatedByCompletedTasks(ChatResponse result, int count)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            GC.KeepAlive(Task.FromResult(result));
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static string Hit(MeaiChatService service)
    {
        ValueTask<string> pending = service.ChatAsync(Messages, Options);
        Assert.True(pending.IsCompletedSuccessfully);
        return pending.Result;
    }

    private static int WriteKey()
    {
        Span<byte> buffer = stackalloc byte[1024];
        var writer = new CacheKeyWriter(buffer, MeaiChatService.__LlmCache_ChatAsync.GetMaxKeySize(Messages, Options));
        try
        {
            MeaiChatService.__LlmCache_ChatAsync.WriteKey(ref writer, Messages, Options);
            return writer.Length;
        }
        finally
        {
            writer.Dispose();
        }
    }
}
