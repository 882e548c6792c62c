using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmCache.Benchmarks;

/// <summary>A chat request of a given size as Microsoft.Extensions.AI messages and options with two tools.</summary>
public sealed record ScalingChatRequest(List<ChatMessage> Messages, ChatOptions Options)
{
    /// <summary>The sizes the scaling suites run at, in KB of content.</summary>
    public static readonly double[] Sizes = [0.5, 4.4, 32, 256];

    /// <summary>The UTF-8 bytes of every text in the request: messages, tool names, descriptions and schemas.</summary>
    public int ContentBytes =>
        Messages.Sum(m => Encoding.UTF8.GetByteCount(m.Text)) +
        Options.Tools!.OfType<AIFunctionDeclaration>().Sum(t => Encoding.UTF8.GetByteCount(t.Name + t.Description + t.JsonSchema.GetRawText()));

    /// <summary>
    /// 4.4 KB is the foundation's request (<see cref="ChatRequest"/>). 0.5 KB is one question with two compact
    /// tools, since the foundation's two tools alone are 0.8 KB. 32 and 256 KB are the foundation's request with the
    /// conversation grown by turns of about 1 KB each, every turn's text its own.
    /// </summary>
    public static ScalingChatRequest Create(double kilobytes) => kilobytes switch
    {
        0.5 => Small(),
        4.4 => new(ChatRequest.PeerMessages(), ChatRequest.PeerOptions()),
        32 => Grown(32 * 1024),
        256 => Grown(256 * 1024),
        _ => throw new ArgumentOutOfRangeException(nameof(kilobytes), kilobytes, "Not one of the scaling suites' sizes."),
    };

    private static ScalingChatRequest Small()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are a careful travel assistant. Answer in plain English, in one short paragraph, and never invent prices."),
            new(ChatRole.User, "Which routing from Lisbon to Tokyo on the 11th of March has the best allowance for two checked bags?"),
        ];
        var options = new ChatOptions
        {
            ModelId = ChatRequest.Model,
            Temperature = ChatRequest.Temperature,
            MaxOutputTokens = ChatRequest.MaxTokens,
            Tools =
            [
                Tool("get_price", "Current fare for a routing and date.", """{"type":"object","properties":{"route":{"type":"string"},"date":{"type":"string"}}}"""),
                Tool("get_schedule", "Flights of a route on one day.", """{"type":"object","properties":{"route":{"type":"string"},"date":{"type":"string"}}}"""),
            ],
        };
        return new(messages, options);
    }

    private static ScalingChatRequest Grown(int targetBytes)
    {
        var request = new ScalingChatRequest(ChatRequest.PeerMessages(), ChatRequest.PeerOptions());
        for (int turn = 0; request.ContentBytes < targetBytes; turn++)
        {
            ChatRole role = turn % 2 == 0 ? ChatRole.User : ChatRole.Assistant;
            request.Messages.Add(new ChatMessage(role, $"Turn {turn}: " + string.Concat(Enumerable.Repeat($"On day {turn % 28 + 1} the routing via hub {turn % 7} leaves at {turn % 24:00}:15 and connects in 95 minutes. ", 11))));
        }

        return request;
    }

    private static AITool Tool(string name, string description, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, description, JsonDocument.Parse(schema).RootElement.Clone());
}
