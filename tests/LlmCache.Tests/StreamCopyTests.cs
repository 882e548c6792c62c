using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LlmCache.AI;
using Microsoft.Extensions.AI;

namespace LlmCache.Tests;

/// <summary>
/// Each caller of a cached Microsoft.Extensions.AI stream gets its own copy of every update, live or replayed, so a
/// caller that edits an update changes neither the stored stream nor what another caller sees; ShareResult opts out.
/// </summary>
public sealed class StreamCopyTests
{
    private static readonly IList<ChatMessage> Question = [new(ChatRole.User, "What is the weather in Paris?")];

    private static ChatResponseUpdate[] Script() =>
    [
        new(ChatRole.Assistant, "It is sunny") { ResponseId = "resp-1", MessageId = "msg-1", ModelId = "model-1" },
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]) { ResponseId = "resp-1" },
        new(null, [new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 4 })])
        {
            ResponseId = "resp-1",
            FinishReason = ChatFinishReason.Stop,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["provider.trace"] = "t-1" },
        },
    ];

    [Fact]
    public async Task A_caller_changing_the_updates_of_a_replay_changes_no_later_replay()
    {
        ChatResponseUpdate[] script = Script();
        string[] expected = Json(script);
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        upstream.ReleaseAll();
        var service = new StreamingChatService(new LlmCacheRuntime(), upstream);

        // The live caller and a replaying caller both edit what they got.
        Mutate(await ReadAllAsync(service.StreamAsync(Question)));
        List<ChatResponseUpdate> first = await ReadAllAsync(service.StreamAsync(Question));
        Assert.Equal(expected, Json(first));
        Mutate(first);

        List<ChatResponseUpdate> second = await ReadAllAsync(service.StreamAsync(Question));
        Assert.Equal(1, upstream.Started);
        Assert.Equal(expected, Json(second));
        Assert.All(first.Zip(second), pair => Assert.NotSame(pair.First, pair.Second));
    }

    [Fact]
    public async Task A_method_that_shares_results_replays_the_stored_updates_themselves()
    {
        var upstream = new ScriptedUpstream<ChatResponseUpdate>(Script());
        upstream.ReleaseAll();
        var service = new StreamingChatService(new LlmCacheRuntime(), upstream);

        List<ChatResponseUpdate> first = await ReadAllAsync(service.StreamSharedAsync(Question));
        List<ChatResponseUpdate> second = await ReadAllAsync(service.StreamSharedAsync(Question));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_middleware_caller_changing_a_streamed_update_changes_no_other_caller()
    {
        IChatClient client = new LlmCachingChatClient(new CountingChatClient(), new LlmCacheRuntime());
        List<ChatResponseUpdate> live = await ReadAllAsync(client.GetStreamingResponseAsync(Question));
        string[] expected = Json(live);
        Mutate(live);

        List<ChatResponseUpdate> first = await ReadAllAsync(client.GetStreamingResponseAsync(Question));
        Mutate(first);
        List<ChatResponseUpdate> second = await ReadAllAsync(client.GetStreamingResponseAsync(Question));
        Assert.Equal(expected, Json(second));

        IChatClient sharing = new LlmCachingChatClient(new CountingChatClient(), new LlmCacheRuntime(), new LlmCachingChatClientOptions { ShareResult = true });
        List<ChatResponseUpdate> shared = await ReadAllAsync(sharing.GetStreamingResponseAsync(Question));
        Assert.Equal(shared, await ReadAllAsync(sharing.GetStreamingResponseAsync(Question)));
    }

    [Fact]
    public void A_copied_update_equals_the_original_and_shares_no_editable_part()
    {
        ChatResponseUpdate[] script = Script();
        IReadOnlyList<ChatResponseUpdate> copy = MeaiResultCopiers.ChatResponseUpdates.Copy(script);
        Assert.Equal(Json(script), Json(copy));
        for (int i = 0; i < script.Length; i++)
        {
            Assert.NotSame(script[i], copy[i]);
            Assert.NotSame(script[i].Contents, copy[i].Contents);
            Assert.NotSame(script[i].Contents[0], copy[i].Contents[0]);
        }

        Assert.NotSame(script[2].AdditionalProperties, copy[2].AdditionalProperties);
    }

    /// <summary>Edits every update the way a caller might: its text, its contents list, a call's arguments, its properties.</summary>
    private static void Mutate(List<ChatResponseUpdate> updates)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            foreach (AIContent content in update.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        text.Text = "edited";
                        break;
                    case FunctionCallContent call:
                        call.Arguments!["city"] = "Rome";
                        break;
                    case UsageContent usage:
                        usage.Details.InputTokenCount = 999;
                        break;
                }
            }

            update.Contents.Add(new TextContent("added"));
            update.ResponseId = "edited";
            (update.AdditionalProperties ??= [])["edited"] = true;
        }
    }

    private static string[] Json(IEnumerable<ChatResponseUpdate> updates) => StreamingTests.Json(updates);

    private static Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> stream) => StreamingTests.ReadAllAsync(stream);
}
