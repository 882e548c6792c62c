using System;
using System.ClientModel;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using System.Threading.Tasks;
using LlmCache;
using LlmCache.Embeddings.MiniLM;
using Microsoft.Extensions.AI;
using OpenAI;
using QuickStart;

// The QuickStart: the same question twice (a miss, then a hit), a different question (a miss), a per-call control
// (NoCache) that skips the cache read, and a streamed answer, live the first time and replayed from the cache the
// second. The request is Microsoft.Extensions.AI messages and options with a tool, as a real app sends it. Then the
// semantic cache, on a local embedding model (MiniLM, inside the package): a question worded differently is a hit
// with its similarity, and a near miss that differs in a number is refused by the precision guard.
// "--store disk" keeps entries on disk, so a second run is all hits.
string store = args.Length >= 2 && args[0] == "--store" ? args[1] : Environment.GetEnvironmentVariable("LLMCACHE_STORE") ?? "memory";
string? apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
string model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-4o-mini";

IChatClient chat;
if (string.IsNullOrEmpty(apiKey))
{
    chat = new SimulatedChatClient();
    Console.WriteLine("Model: simulated (no OPENAI_API_KEY set): answers are made up and take 600-900 ms, like a real model.");
}
else
{
    string? baseUrl = Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
    var clientOptions = new OpenAIClientOptions();
    if (!string.IsNullOrEmpty(baseUrl))
    {
        clientOptions.Endpoint = new Uri(baseUrl);
    }

    chat = new OpenAIClient(new ApiKeyCredential(apiKey), clientOptions).GetChatClient(model).AsIChatClient();
    Console.WriteLine($"Model: {model} at {baseUrl ?? "the OpenAI API"} (OPENAI_API_KEY is set).");
}

var cacheOptions = new LlmCacheOptions();
switch (store)
{
    case "memory":
        Console.WriteLine("Store: in-memory (the embedded default).");
        break;
    case "disk":
        string directory = Environment.GetEnvironmentVariable("LLMCACHE_DISK_DIR") ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmcache-quickstart");
        cacheOptions.DefaultType = CacheType.Disk;
        cacheOptions.UseDisk(directory);
        Console.WriteLine($"Store: disk at {directory} (entries survive this process).");
        break;
    default:
        Console.Error.WriteLine($"Unknown store '{store}': use --store memory or --store disk.");
        return 2;
}

// The semantic method's embedding model: all-MiniLM-L6-v2, embedded in the package, run locally.
using var embeddings = new MiniLmEmbeddingGenerator();
cacheOptions.Semantic.EmbeddingGenerator = embeddings;

var assistant = new Assistant(chat, new LlmCacheRuntime(cacheOptions));
Console.WriteLine();

// A tool the model may call: part of the key, with its description and parameter schema.
var options = new ChatOptions
{
    ModelId = model,
    Temperature = 0.2f,
    Tools = [AIFunctionFactory.CreateDeclaration("get_population", "Gets a city's population.", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement)],
};

await Ask(1, "What is the capital of France?");
await Ask(2, "What is the capital of France?");
await Ask(3, "What is the tallest mountain on Earth?");
await Ask(4, "What is the capital of France?", new CacheControl { NoCache = true }, "NoCache: skip the read, store the fresh answer");
await Ask(5, "What is the tallest mountain on Earth?");
await Stream(6, "Tell me a short story about a cache.");
await Stream(7, "Tell me a short story about a cache.");

Console.WriteLine();
Console.WriteLine($"Semantic cache (CacheType.Semantic, threshold {cacheOptions.Semantic.SimilarityThreshold}, precision guard on):");
await AskSimilar(8, "Tell me a joke.");
await AskSimilar(9, "Please tell me a joke");
await AskSimilar(10, "What is 17 times 23?");
await AskSimilar(11, "What is 17 times 24?", nearMissOf: "What is 17 times 23?");
return 0;

List<ChatMessage> Request(string question) => [new(ChatRole.System, "You answer in one short sentence."), new(ChatRole.User, question)];

async Task Ask(int step, string question, CacheControl control = default, string? note = null)
{
    var outcome = new CacheOutcome();
    var clock = Stopwatch.StartNew();
    ChatResponse answer = await assistant.AskAsync(Request(question), options, control with { Outcome = outcome });
    clock.Stop();
    Console.WriteLine($"{step}. {Status(outcome),-13} {clock.Elapsed.TotalMilliseconds,8:F1} ms  {question}{(note is null ? string.Empty : "  [" + note + "]")}");
    Console.WriteLine($"   -> {answer.Text}");
}

async Task Stream(int step, string question)
{
    var outcome = new CacheOutcome();
    var clock = Stopwatch.StartNew();
    int updates = 0;
    Console.Write($"{step}. stream        {question}\n   -> ");
    await foreach (ChatResponseUpdate update in assistant.StreamAsync(Request(question), options, new CacheControl { Outcome = outcome }))
    {
        updates++;
        Console.Write(update.Text);
    }

    clock.Stop();
    Console.WriteLine();
    string how = outcome.IsHit ? "replayed from the cache, update by update" : "passed through live, then stored";
    Console.WriteLine($"   {Status(outcome)}: {updates} updates in {clock.Elapsed.TotalMilliseconds:F1} ms, {how}");
}

async Task AskSimilar(int step, string question, string? nearMissOf = null)
{
    var outcome = new CacheOutcome();
    var clock = Stopwatch.StartNew();
    ChatResponse answer = await assistant.AskSimilarAsync(Request(question), options, new CacheControl { Outcome = outcome });
    clock.Stop();
    string similarity = outcome.Similarity is { } score ? $"  [similarity {score:F2}]" : string.Empty;
    Console.WriteLine($"{step}. {Status(outcome),-13} {clock.Elapsed.TotalMilliseconds,8:F1} ms  {question}{similarity}");
    if (nearMissOf is not null)
    {
        // Why it missed: embeddings rate the two questions as close, and the guard sees that a number differs.
        GeneratedEmbeddings<Embedding<float>> vectors = await embeddings.GenerateAsync([nearMissOf, question]);
        float close = TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[1].Vector.Span);
        Console.WriteLine($"   similarity to \"{nearMissOf}\" is {close:F2}, above the threshold, but the precision guard refuses it: {SemanticPrecisionGuard.Check(nearMissOf, question)}");
    }

    Console.WriteLine($"   -> {answer.Text}");
}

static string Status(CacheOutcome outcome) =>
    outcome.IsHit ? $"HIT ({outcome.Tier})" : outcome.Status == CacheOutcomeStatus.Miss ? "MISS" : outcome.Status.ToString().ToUpperInvariant();
