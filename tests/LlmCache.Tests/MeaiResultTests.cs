using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LlmCache.SharedTests;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace LlmCache.Tests;

/// <summary>
/// Microsoft.Extensions.AI results of cached methods: stored on disk through MEAI's own JSON and read back equal,
/// and a memory hit that a caller may change without changing the next caller's (docs/results.md).
/// </summary>
public sealed class MeaiResultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmcache-meai-results-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_disk_hit_equals_the_original_response()
    {
        using var writer = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Disk }.UseDisk(_directory));
        using var reader = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Disk }.UseDisk(_directory));

        await MeaiRoundTrip.RunAsync(writer, reader, "disk");
    }

    [Fact]
    public async Task Through_a_store_values_typed_object_come_back_as_json_elements()
    {
        using var writer = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Disk }.UseDisk(_directory));
        using var reader = new LlmCacheRuntime(new LlmCacheOptions { DefaultType = CacheType.Disk }.UseDisk(_directory));
        await new MeaiResultService(writer).ChatAsync("weather?");

        ChatResponse hit = await new MeaiResultService(reader).ChatAsync("weather?");

        // Documented: the JSON carries no .NET type for an object-typed value, so a store hands back JsonElements.
        var call = (FunctionCallContent)hit.Messages[0].Contents[1];
        Assert.Equal(3, Assert.IsType<JsonElement>(call.Arguments!["days"]).GetInt32());
        Assert.Equal("fp_42", Assert.IsType<JsonElement>(hit.AdditionalProperties!["system_fingerprint"]).GetString());
    }

    [Fact]
    public void Embeddings_are_stored_as_an_object_that_keeps_usage_and_additional_properties()
    {
        // The stored payload format, written out: an entry written today must read the same later.
        const string Golden = """{"embeddings":[{"vector":[1,2]}],"usage":{"inputTokenCount":7},"additionalProperties":{"object":"list"}}""";
        CacheValueSerializer<GeneratedEmbeddings<Embedding<float>>> serializer = LlmCache.AI.MeaiResultSerializers.GeneratedEmbeddings<float>();
        var embeddings = new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 1, 2 })])
        {
            Usage = new UsageDetails { InputTokenCount = 7 },
            AdditionalProperties = new() { ["object"] = "list" },
        };

        Assert.Equal(Golden, System.Text.Encoding.UTF8.GetString(serializer.Serialize(embeddings)));
        GeneratedEmbeddings<Embedding<float>> read = serializer.Deserialize(System.Text.Encoding.UTF8.GetBytes(Golden));
        MeaiAssert.Equal(embeddings, read);
        Assert.Throws<JsonException>(() => serializer.Deserialize("""[{"vector":[1,2]}]"""u8));
    }

    [Fact]
    public async Task The_chat_loop_changing_a_hit_does_not_change_the_next_hit()
    {
        var service = new MeaiResultService(new LlmCacheRuntime());
        ChatResponse miss = await service.ChatAsync("weather?");
        var history = new System.Collections.Generic.List<ChatMessage> { new(ChatRole.User, "weather?") };

        // The loop every MEAI app runs: add the answer to the history, then keep working on those messages.
        foreach (ChatResponse answer in new[] { miss, await service.ChatAsync("weather?") })
        {
            history.AddMessages(answer);
            ChatMessage last = history[^1];
            last.Contents.Add(new TextContent(" (edited)"));
            ((TextContent)last.Contents[0]).Text = "changed";
            last.AdditionalProperties!["index"] = 99;
            last.AdditionalProperties["added"] = true;
            ((FunctionCallContent)history[^3].Contents[1]).Arguments!["city"] = "Berlin";
            answer.Messages.Clear();
            answer.AdditionalProperties!["service_tier"] = "edited";
            answer.Usage!.AdditionalCounts!["prediction_tokens"] = 0;
            answer.Usage.InputTokenCount = 1;
        }

        ChatResponse next = await service.ChatAsync("weather?");

        MeaiAssert.Equal(MeaiSamples.ChatResponse(), next);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task Each_hit_is_its_own_copy_of_every_result_type()
    {
        var service = new MeaiResultService(new LlmCacheRuntime());
        byte[] audio = [9, 9];

        ChatResponse[] chats = [await service.ChatAsync("p"), await service.ChatAsync("p"), await service.ChatAsync("p")];
        Embedding<float>[] embeddings = [await service.EmbedAsync("e"), await service.EmbedAsync("e")];
        GeneratedEmbeddings<Embedding<float>>[] batches = [await service.EmbedBatchAsync("a"), await service.EmbedBatchAsync("a")];
        SpeechToTextResponse[] transcriptions = [await service.TranscribeAsync(audio), await service.TranscribeAsync(audio)];
        Assert.NotSame(transcriptions[0].Contents[0], transcriptions[1].Contents[0]);
        MeaiAssert.Equal(transcriptions[0], transcriptions[1]);

        Assert.Equal(4, service.Calls);
        Assert.NotSame(chats[1], chats[2]);
        Assert.NotSame(chats[0].Messages[2], chats[1].Messages[2]);
        Assert.NotSame(chats[1].Messages[0].Contents[1], chats[2].Messages[0].Contents[1]);
        Assert.NotSame(chats[1].Usage, chats[2].Usage);
        MeaiAssert.Equal(chats[0], chats[2]);
        Assert.NotSame(embeddings[0], embeddings[1]);
        MeaiAssert.Equal(embeddings[0], embeddings[1]);
        Assert.NotSame(batches[0][0], batches[1][0]);
        MeaiAssert.Equal(batches[0], batches[1]);
    }

    [Fact]
    public async Task A_shared_result_is_the_same_instance_and_a_hit_allocates_nothing()
    {
        var service = new MeaiResultService(new LlmCacheRuntime());
        ChatResponse stored = await service.ChatSharedAsync("p");
        for (int i = 0; i < 10; i++)
        {
            Hit(service);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        ChatResponse? last = null;
        for (int i = 0; i < 100; i++)
        {
            last = Hit(service);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(stored, last);
        Assert.Equal(1, service.Calls);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_copy_on_a_hit_costs_a_few_hundred_bytes_to_a_few_kilobytes()
    {
        // A typical answer: one assistant message of about 1 KB of text, with usage, as a provider returns it.
        var typical = new ChatResponse(new ChatMessage(ChatRole.Assistant, new string('x', 1000)))
        {
            ResponseId = "resp_1",
            ModelId = "gpt-test",
            CreatedAt = DateTimeOffset.UnixEpoch,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 500, OutputTokenCount = 250, TotalTokenCount = 750 },
        };
        long typicalBytes = CopyCost(typical);
        long toolBytes = CopyCost(MeaiSamples.ChatResponse());
        output.WriteLine($"copy of a typical answer (1 message, 1 text, usage): {typicalBytes} B");
        output.WriteLine($"copy of the tool-calling sample (3 messages, 4 contents, arguments, usage with extra counts, 5 property bags): {toolBytes} B");

        // What the copy replaces: objects, lists and property bags, never the text inside them.
        Assert.InRange(typicalBytes, 1, 1024);
        Assert.InRange(toolBytes, typicalBytes, 8192);
    }

    private static long CopyCost(ChatResponse response)
    {
        CacheValueCopier<ChatResponse> copier = LlmCache.AI.MeaiResultCopiers.ChatResponse;
        copier.Copy(response);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            copier.Copy(response);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    private static ChatResponse Hit(MeaiResultService service)
    {
        ValueTask<ChatResponse> pending = service.ChatSharedAsync("p");
        Assert.True(pending.IsCompletedSuccessfully);
        return pending.Result;
    }
}
