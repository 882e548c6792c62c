using System;
using System.ClientModel;
using System.Diagnostics;
using System.Threading.Tasks;
using LlmCache;
using Microsoft.Extensions.AI;
using OpenAI;
using QuickStart;

// The QuickStart: the same question twice (a miss, then a hit), a different question (a miss), and a per-call
// control (NoCache) that skips the cache read. "--store disk" keeps entries on disk, so a second run is all hits.
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

var options = new LlmCacheOptions();
switch (store)
{
    case "memory":
        Console.WriteLine("Store: in-memory (the embedded default).");
        break;
    case "disk":
        string directory = Environment.GetEnvironmentVariable("LLMCACHE_DISK_DIR") ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmcache-quickstart");
        options.DefaultType = CacheType.Disk;
        options.UseDisk(directory);
        Console.WriteLine($"Store: disk at {directory} (entries survive this process).");
        break;
    default:
        Console.Error.WriteLine($"Unknown store '{store}': use --store memory or --store disk.");
        return 2;
}

var assistant = new Assistant(chat, new LlmCacheRuntime(options));
Console.WriteLine();

await Ask(1, "What is the capital of France?");
await Ask(2, "What is the capital of France?");
await Ask(3, "What is the tallest mountain on Earth?");
await Ask(4, "What is the capital of France?", new CacheControl { NoCache = true }, "NoCache: skip the read, store the fresh answer");
await Ask(5, "What is the tallest mountain on Earth?");
return 0;

async Task Ask(int step, string question, CacheControl control = default, string? note = null)
{
    var outcome = new CacheOutcome();
    var clock = Stopwatch.StartNew();
    string answer = await assistant.AskAsync(model, question, control: control with { Outcome = outcome });
    clock.Stop();
    string status = outcome.IsHit ? $"HIT ({outcome.Tier})" : outcome.Status == CacheOutcomeStatus.Miss ? "MISS" : outcome.Status.ToString().ToUpperInvariant();
    Console.WriteLine($"{step}. {status,-13} {clock.Elapsed.TotalMilliseconds,8:F1} ms  {question}{(note is null ? string.Empty : "  [" + note + "]")}");
    Console.WriteLine($"   -> {answer}");
}
