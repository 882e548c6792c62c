using System.Linq;

namespace LlmCache.Generators.Tests;

/// <summary>
/// The generated code for each method shape, as golden files; each shape must also compile without warnings
/// (nullable on), as it must in a user's project with TreatWarningsAsErrors.
/// </summary>
public sealed class SnapshotTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;

        """;

    [Fact]
    public void ValueTask_instance_method_with_an_injected_runtime_field() => Verify(nameof(ValueTask_instance_method_with_an_injected_runtime_field), "Demo.Assistant.AskAsync.g.cs", """
        namespace Demo;

        public sealed record Message(string Role, string Text);

        public partial class Assistant
        {
            private readonly LlmCacheRuntime _cache;

            public Assistant(LlmCacheRuntime cache) => _cache = cache;

            [LlmCached(Type = CacheType.Memory, Ttl = 600)]
            public partial ValueTask<string> AskAsync(string model, IReadOnlyList<Message> messages, float temperature = 0.7f, CacheControl cache = default, CancellationToken ct = default);

            private ValueTask<string> AskAsyncCore(string model, IReadOnlyList<Message> messages, float temperature, CancellationToken ct) => new("answer");
        }
        """);

    [Fact]
    public void Static_Task_method_on_the_shared_runtime() => Verify(nameof(Static_Task_method_on_the_shared_runtime), "Demo.Prompts.SummarizeAsync.g.cs", """
        namespace Demo;

        public static partial class Prompts
        {
            [LlmCached]
            public static partial Task<string> SummarizeAsync(string text, int maxWords);

            private static async Task<string> SummarizeAsyncCore(string text, int maxWords)
            {
                await Task.Yield();
                return text;
            }
        }
        """);

    [Fact]
    public void Synchronous_method_returning_a_value() => Verify(nameof(Synchronous_method_returning_a_value), "Demo.Tokenizer.Count.g.cs", """
        namespace Demo;

        public partial class Tokenizer
        {
            [LlmCached]
            internal partial int Count(string text, [NotCacheKey] string apiKey);

            private int CountCore(string text, string apiKey) => text.Length;
        }
        """);

    [Fact]
    public void Nested_containing_types() => Verify(nameof(Nested_containing_types), "Demo.Outer.Middle.Inner.EmbedAsync.g.cs", """
        namespace Demo;

        public partial class Outer
        {
            public partial struct Middle
            {
                public partial record Inner
                {
                    [LlmCached]
                    public partial ValueTask<float[]> EmbedAsync(string input, CancellationToken cancellationToken);

                    private ValueTask<float[]> EmbedAsyncCore(string input, CancellationToken cancellationToken) => new(new float[3]);
                }
            }
        }
        """);

    [Fact]
    public void Generic_containing_type() => Verify(nameof(Generic_containing_type), "Demo.Repository`1.LookupAsync.g.cs", """
        namespace Demo;

        public partial class Repository<TEntity>
            where TEntity : class
        {
            [LlmCached]
            public partial Task<string> LookupAsync(Guid id, DateTimeOffset asOf);

            private Task<string> LookupAsyncCore(Guid id, DateTimeOffset asOf) => Task.FromResult(typeof(TEntity).Name);
        }
        """);

    [Fact]
    public void Global_namespace() => Verify(nameof(Global_namespace), "Globals.Ping.g.cs", """
        public partial class Globals
        {
            [LlmCached]
            public partial string Ping(string host);

            private string PingCore(string host) => host;
        }
        """);

    [Fact]
    public void Block_namespace_with_in_parameters_and_defaults() => Verify(nameof(Block_namespace_with_in_parameters_and_defaults), "Demo.Inner.Ranker.ScoreAsync.g.cs", """
        namespace Demo.Inner
        {
            public readonly record struct Weights(double Relevance, double Recency);

            public partial class Ranker
            {
                [LlmCached(KeyVersion = 2)]
                public partial ValueTask<double> ScoreAsync(in Weights weights, string query = "", int? limit = null, params string[] fields);

                private ValueTask<double> ScoreAsyncCore(in Weights weights, string query, int? limit, string[] fields) => new(weights.Relevance);
            }
        }
        """);

    [Fact]
    public void Primary_constructor_runtime_and_records_walked_by_members() => Verify(nameof(Primary_constructor_runtime_and_records_walked_by_members), "Demo.ChatClient.CompleteAsync.g.cs", """
        namespace Demo;

        public enum Role { System, User, Assistant }

        public sealed record Turn(Role Role, string Text, DateTime? At);

        public sealed class Tool
        {
            public string Name { get; init; } = "";
            public string? Description { get; init; }
            public IReadOnlyList<string> Parameters { get; init; } = Array.Empty<string>();
            [NotCacheKey]
            public object? Handler { get; init; }
        }

        public sealed record ChatRequest(string Model, IReadOnlyList<Turn> Turns, Tool[] Tools, double Temperature);

        public partial class ChatClient(LlmCacheRuntime runtime)
        {
            [LlmCached(Implementation = nameof(SendAsync))]
            public partial ValueTask<string> CompleteAsync(ChatRequest request, CancellationToken ct = default);

            private async Task<string> SendAsync(ChatRequest request, CancellationToken ct)
            {
                await Task.Delay(1, ct);
                return request.Model;
            }
        }
        """);

    [Fact]
    public void Streams_bytes_enums_nullables_and_unordered_collections() => Verify(nameof(Streams_bytes_enums_nullables_and_unordered_collections), "Demo.Audio.TranscribeAsync.g.cs", """
        namespace Demo;

        public enum Format : ulong { Text, Srt = ulong.MaxValue }

        public partial class Audio
        {
            [LlmCached]
            public partial Task<string> TranscribeAsync(Stream audio, Format format, byte[]? prompt, ReadOnlyMemory<byte> hint, TimeSpan? offset, HashSet<string> vocabulary, Dictionary<string, int> boosts, CacheControl cache, CancellationToken ct);

            private Task<string> TranscribeAsyncCore(Stream audio, Format format, byte[]? prompt, ReadOnlyMemory<byte> hint, TimeSpan? offset, HashSet<string> vocabulary, Dictionary<string, int> boosts, CancellationToken ct) => Task.FromResult("");
        }
        """);

    [Fact]
    public void Microsoft_Extensions_AI_messages_options_and_contents_through_the_runtime_writers() => Verify(nameof(Microsoft_Extensions_AI_messages_options_and_contents_through_the_runtime_writers), "Demo.Chat.CompleteAsync.g.cs", """
        using Microsoft.Extensions.AI;

        namespace Demo;

        public partial class Chat
        {
            [LlmCached]
            public partial ValueTask<string> CompleteAsync(IList<ChatMessage> messages, ChatOptions? options, AIContent? attachment, CancellationToken ct);

            private ValueTask<string> CompleteAsyncCore(IList<ChatMessage> messages, ChatOptions? options, AIContent? attachment, CancellationToken ct) => new("");
        }
        """);

    [Fact]
    public void Remote_cache_type_with_an_assembly_json_context() => Verify(nameof(Remote_cache_type_with_an_assembly_json_context), "Demo.Weather.ForecastAsync.g.cs", """
        using System.Text.Json.Serialization;

        [assembly: LlmCacheJsonContext(typeof(Demo.WeatherJson))]

        namespace Demo;

        public sealed record Forecast(string City, double Celsius);

        [JsonSerializable(typeof(Forecast))]
        public partial class WeatherJson : JsonSerializerContext
        {
        }

        public partial class Weather
        {
            [LlmCached(Type = CacheType.Redis, Ttl = 3600, Namespace = "weather")]
            public partial ValueTask<Forecast> ForecastAsync(string city, DateOnly day);

            private ValueTask<Forecast> ForecastAsyncCore(string city, DateOnly day) => new(new Forecast(city, 21.5));
        }
        """, withJsonGenerator: true);

    [Fact]
    public void Overloads_and_custom_key_types() => Verify(nameof(Overloads_and_custom_key_types), "Demo.Search.FindAsync_1.g.cs", """
        namespace Demo;

        public sealed class Query : ICacheKeyWritable
        {
            public string Text { get; set; } = "";
            public void WriteCacheKey(ref CacheKeyWriter writer) => writer.WriteString(Text.ToLowerInvariant());
        }

        public partial class Search
        {
            [LlmCached]
            public partial ValueTask<string> FindAsync(string text);

            [LlmCached]
            public partial ValueTask<string> FindAsync(Query query, IList<(string Field, int Boost)> boosts);

            private ValueTask<string> FindAsyncCore(string text) => new(text);

            private ValueTask<string> FindAsyncCore(Query query, IList<(string Field, int Boost)> boosts) => new(query.Text);
        }
        """);

    [Fact]
    public void User_collections_by_their_elements_and_non_sealed_types_checked_for_derived_instances() => Verify(nameof(User_collections_by_their_elements_and_non_sealed_types_checked_for_derived_instances), "Demo.Library.ShelveAsync.g.cs", """
        namespace Demo;

        public class TagList : List<string>;

        public sealed class Shelf : Dictionary<string, int>;

        public readonly struct Words(string[] words) : IReadOnlyList<string>
        {
            public int Count => words.Length;
            public string this[int index] => words[index];
            public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)words).GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        public record Prompt(string Text);

        public readonly record struct Turn(Prompt Prompt, int Index);

        public class Book
        {
            public string Title { get; init; } = "";
        }

        public sealed class Novel : Book
        {
            public int Pages { get; init; }
        }

        public partial class Library
        {
            [LlmCached]
            public partial Task<string> ShelveAsync(TagList? tags, Shelf shelf, Words? words, Prompt? prompt, IReadOnlyList<Turn?> turns, Dictionary<string, Prompt> named, Novel novel);

            private Task<string> ShelveAsyncCore(TagList? tags, Shelf shelf, Words? words, Prompt? prompt, IReadOnlyList<Turn?> turns, Dictionary<string, Prompt> named, Novel novel) => Task.FromResult("");
        }
        """);

    [Fact]
    public void Streaming_Microsoft_Extensions_AI_updates_on_a_remote_store() => Verify(nameof(Streaming_Microsoft_Extensions_AI_updates_on_a_remote_store), "Demo.StreamingChat.StreamAsync.g.cs", """
        using System.Runtime.CompilerServices;
        using Microsoft.Extensions.AI;

        namespace Demo;

        public partial class StreamingChat(IChatClient chat, LlmCacheRuntime cache)
        {
            [LlmCached(Type = CacheType.Dual, Ttl = 600)]
            public partial IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IList<ChatMessage> messages, ChatOptions? options, CacheControl control = default, CancellationToken cancellationToken = default);

            private IAsyncEnumerable<ChatResponseUpdate> StreamAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
                chat.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
        """);

    [Fact]
    public void Streaming_strings_and_records_through_a_json_context() => Verify(nameof(Streaming_strings_and_records_through_a_json_context), "Demo.Narrator.TellAsync.g.cs", """
        using System.Runtime.CompilerServices;
        using System.Text.Json.Serialization;

        namespace Demo;

        public sealed record Token(string Text, int Index);

        [JsonSerializable(typeof(Token))]
        public partial class TokenJson : JsonSerializerContext
        {
        }

        public static partial class Narrator
        {
            [LlmCached(Type = CacheType.Disk)]
            public static partial IAsyncEnumerable<string> TellAsync(string story);

            [LlmCached(Type = CacheType.Redis, JsonContext = typeof(TokenJson))]
            public static partial IAsyncEnumerable<Token> TokensAsync(string story, CancellationToken ct);

            private static async IAsyncEnumerable<string> TellAsyncCore(string story)
            {
                await Task.Yield();
                yield return story;
            }

            private static async IAsyncEnumerable<Token> TokensAsyncCore(string story, [EnumeratorCancellation] CancellationToken ct)
            {
                await Task.Yield();
                yield return new Token(story, 0);
            }
        }
        """, withJsonGenerator: true);

    [Fact]
    public void Semantic_method_on_a_marked_string() => Verify(nameof(Semantic_method_on_a_marked_string), "Demo.SemanticAssistant.AskAsync.g.cs", """
        namespace Demo;

        public partial class SemanticAssistant
        {
            [LlmCached(Type = CacheType.Semantic, SimilarityThreshold = 0.85)]
            public partial ValueTask<string> AskAsync(string model, [SemanticKey] string question, float temperature, CancellationToken ct = default);

            [LlmCached(Type = CacheType.RedisSemantic)]
            public partial string Summarize(string text);

            private ValueTask<string> AskAsyncCore(string model, string question, float temperature, CancellationToken ct) => new(question);

            private string SummarizeCore(string text) => text;
        }
        """);

    [Fact]
    public void Semantic_method_on_chat_messages() => Verify(nameof(Semantic_method_on_chat_messages), "Demo.SemanticChat.CompleteAsync.g.cs", """
        using Microsoft.Extensions.AI;

        namespace Demo;

        public partial class SemanticChat(IChatClient chat)
        {
            [LlmCached(Type = CacheType.DualSemantic, PrecisionGuard = false)]
            public partial Task<ChatResponse> CompleteAsync(IList<ChatMessage> messages, ChatOptions? options, CacheControl cache = default, CancellationToken ct = default);

            private Task<ChatResponse> CompleteAsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken ct) => chat.GetResponseAsync(messages, options, ct);
        }
        """);

    internal static void Verify(string name, string hintName, string source, bool withJsonGenerator = false)
    {
        GeneratorResult result = GeneratorHarness.Run(withJsonGenerator, Usings + source);

        Assert.Empty(result.GeneratorDiagnostics);
        string[] problems = result.CompilationProblems.Select(d => d.ToString()).ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems));
        Snapshot.Match(name, result.GeneratedSource(hintName));
    }
}
