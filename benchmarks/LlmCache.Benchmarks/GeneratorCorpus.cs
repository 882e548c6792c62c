using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmCache.Benchmarks;

/// <summary>
/// A user project for the generator suite: <c>methodCount</c> [LlmCached] methods, ten to a service class and a
/// file, in five shapes that cycle (strings; records in lists; Microsoft.Extensions.AI messages and options; a
/// CacheControl parameter; a synchronous method), compiled against the framework and LlmCache as an app would be.
/// </summary>
public static class GeneratorCorpus
{
    public const int MethodsPerFile = 10;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The records the services take, in a file of their own.</summary>
    public const string Types = """
        namespace Corpus;

        public sealed record Message(string Role, string Text);

        public sealed record Tool(string Name, string JsonSchema);
        """;

    public static CSharpCompilation Create(int methodCount)
    {
        IEnumerable<SyntaxTree> services = Enumerable.Range(0, (methodCount + MethodsPerFile - 1) / MethodsPerFile)
            .Select(file => CSharpSyntaxTree.ParseText(Service(file, Math.Min(MethodsPerFile, methodCount - file * MethodsPerFile), "answer"), ParseOptions, path: $"Service{file}.cs"));
        return CSharpCompilation.Create(
            "Corpus",
            services.Append(CSharpSyntaxTree.ParseText(Types, ParseOptions, path: "Types.cs")),
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The first service file with one implementation's body changed: what the edit benchmark swaps in.</summary>
    public static string EditedFirstService() => Service(0, MethodsPerFile, "edited answer");

    /// <summary>The source of service <paramref name="file"/>; <paramref name="firstAnswer"/> is the text the first method's implementation returns.</summary>
    public static string Service(int file, int methods, string firstAnswer)
    {
        var source = new StringBuilder("""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using LlmCache;
            using Microsoft.Extensions.AI;

            namespace Corpus;

            """);
        source.Append($"public sealed partial class Service{file}(LlmCacheRuntime cache)\n{{\n");
        for (int m = 0; m < methods; m++)
        {
            string answer = m == 0 ? firstAnswer : $"answer {file}.{m}";
            source.Append((m % 5) switch
            {
                0 => $$"""
                        [LlmCached]
                        public partial ValueTask<string> Ask{{m}}Async(string model, string prompt, CancellationToken cancellationToken = default);

                        private ValueTask<string> Ask{{m}}AsyncCore(string model, string prompt, CancellationToken cancellationToken) => new("{{answer}}");

                    """,
                1 => $$"""
                        [LlmCached]
                        public partial ValueTask<string> Chat{{m}}Async(string model, IReadOnlyList<Message> messages, float temperature, int maxTokens);

                        private ValueTask<string> Chat{{m}}AsyncCore(string model, IReadOnlyList<Message> messages, float temperature, int maxTokens) => new("{{answer}}");

                    """,
                2 => $$"""
                        [LlmCached]
                        public partial ValueTask<ChatResponse> Meai{{m}}Async(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default);

                        private ValueTask<ChatResponse> Meai{{m}}AsyncCore(IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
                            new(new ChatResponse(new ChatMessage(ChatRole.Assistant, "{{answer}}")));

                    """,
                3 => $$"""
                        [LlmCached]
                        public partial Task<string> Summarize{{m}}Async(string text, IReadOnlyList<Tool> tools, CacheControl control = default);

                        private Task<string> Summarize{{m}}AsyncCore(string text, IReadOnlyList<Tool> tools) => Task.FromResult("{{answer}}");

                    """,
                _ => $$"""
                        [LlmCached]
                        public partial string Classify{{m}}(string text, IReadOnlyList<string> labels);

                        private string Classify{{m}}Core(string text, IReadOnlyList<string> labels) => "{{answer}}";

                    """,
            });
        }

        return source.Append("}\n").ToString();
    }

    // The framework the process runs on, and LlmCache with the Microsoft.Extensions libraries beside it.
    private static List<MetadataReference> References()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        IEnumerable<string> framework = Directory.GetFiles(frameworkDirectory, "*.dll").Where(IsManagedAssembly);
        IEnumerable<string> libraries = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileName(f) is var name && (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name == "LlmCache.dll" || name == "System.IO.Hashing.dll"));
        return framework.Concat(libraries).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
