using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmCache.Proxy.Tests;

/// <summary>
/// An OpenAI-compatible upstream on 127.0.0.1 at a free port that counts its calls and keeps each request body.
/// Every chat answer carries its call number, so an answer served from the cache is the first one again, and a
/// second upstream call is visible in the body. Failures can be queued.
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _failures = new();
    private int _chatCalls;
    private int _embeddingCalls;

    private FakeOpenAi(WebApplication app) => _app = app;

    /// <summary>The base address clients use, ending in <c>/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How many chat requests (whole or streamed) arrived.</summary>
    public int ChatCalls => Volatile.Read(ref _chatCalls);

    /// <summary>How many embedding requests arrived.</summary>
    public int EmbeddingCalls => Volatile.Read(ref _embeddingCalls);

    /// <summary>Every request body, in order of arrival.</summary>
    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    /// <summary>The Authorization header of the last request.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>How long each request waits before it is answered.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// Embeds the inputs when set (the real MiniLM model in the semantic tests, so paraphrases embed close); otherwise
    /// every input gets <see cref="VectorFor"/>.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; set; }

    /// <summary>The next request answers <paramref name="status"/> with <paramref name="body"/>.</summary>
    public void FailNext(int status, string body) => _failures.Enqueue((status, body));

    /// <summary>Starts the server.</summary>
    public static async Task<FakeOpenAi> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var fake = new FakeOpenAi(app);
        app.MapPost("/v1/chat/completions", fake.ChatAsync);
        app.MapPost("/v1/embeddings", fake.EmbeddingsAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/v1");
        return fake;
    }

    /// <summary>The vector the fake answers for <paramref name="input"/>: its length, then a value from each character.</summary>
    public static float[] VectorFor(string input) =>
        [input.Length, .. input.Select(c => (c % 17) / 16f), 0.25f];

    private async Task<JsonObject?> ReadAsync(HttpContext context)
    {
        LastAuthorization = context.Request.Headers.Authorization;
        JsonObject body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Requests.Enqueue(body);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (_failures.TryDequeue(out (int Status, string Body) failure))
        {
            context.Response.StatusCode = failure.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(failure.Body);
            return null;
        }

        return body;
    }

    private async Task ChatAsync(HttpContext context)
    {
        int call = Interlocked.Increment(ref _chatCalls);
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }

        string model = (string)body["model"]!;
        string prompt = string.Join(" | ", ((JsonArray)body["messages"]!).Select(m => (string?)m!["content"]));
        string text = $"answer {call} to: {prompt}";
        if ((bool?)body["stream"] == true)
        {
            context.Response.ContentType = "text/event-stream";
            string[] words = text.Split(' ');
            for (int i = 0; i < words.Length; i++)
            {
                var chunk = new JsonObject
                {
                    ["id"] = $"chatcmpl-{call}",
                    ["object"] = "chat.completion.chunk",
                    ["created"] = 1700000000 + call,
                    ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["delta"] = i == 0 ? new JsonObject { ["role"] = "assistant", ["content"] = words[i] } : new JsonObject { ["content"] = " " + words[i] },
                        ["finish_reason"] = null,
                    }),
                };
                await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
                await context.Response.Body.FlushAsync();
            }

            var last = new JsonObject
            {
                ["id"] = $"chatcmpl-{call}",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1700000000 + call,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "stop" }),
            };
            await context.Response.WriteAsync($"data: {last.ToJsonString()}\n\ndata: [DONE]\n\n");
            return;
        }

        var answer = new JsonObject
        {
            ["id"] = $"chatcmpl-{call}",
            ["object"] = "chat.completion",
            ["created"] = 1700000000 + call,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _embeddingCalls);
        if (await ReadAsync(context) is not { } body)
        {
            return;
        }

        JsonNode input = body["input"]!;
        string[] inputs = input is JsonArray list ? list.Select(i => (string)i!).ToArray() : [(string)input!];
        float[][] vectors = Embedder is { } embedder
            ? (await embedder.GenerateAsync(inputs, cancellationToken: context.RequestAborted)).Select(e => e.Vector.ToArray()).ToArray()
            : inputs.Select(VectorFor).ToArray();
        var data = new JsonArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = new JsonArray(vectors[i].Select(v => (JsonNode)v).ToArray()),
            });
        }

        int tokens = inputs.Sum(i => i.Length);
        var answer = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = (string)body["model"]!,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
