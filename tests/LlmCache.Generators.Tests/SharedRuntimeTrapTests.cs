using System.Linq;
using Microsoft.CodeAnalysis;

namespace LlmCache.Generators.Tests;

/// <summary>
/// A type that holds no <c>LlmCacheRuntime</c> uses <c>LlmCacheRuntime.Shared</c>, which <c>AddLlmCache</c> does not
/// configure. In an app that calls <c>AddLlmCache</c> the build says so (LLMC0020), with what to add; elsewhere,
/// where Shared is the only runtime there is (the QuickStart's way, a console tool), it says nothing.
/// </summary>
public sealed class SharedRuntimeTrapTests
{
    private const string SharedRuntimeId = "LLMC0020";

    // An app configured with AddLlmCache, a custom store as the default type, and a registered service.
    private const string App = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using LlmCache;
        using Microsoft.Extensions.DependencyInjection;

        namespace Demo;

        public sealed class MyStore(ICacheStore inner) : ICacheStore
        {
            public string Name => "mine";
            public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);
            public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken) => inner.SetAsync(key, entry, cancellationToken);
            public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken) => inner.RemoveAsync(key, cancellationToken);
            public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken) => inner.ClearNamespaceAsync(@namespace, cancellationToken);
        }

        public static class Startup
        {
            public static void Configure(IServiceCollection services, ICacheStore store)
            {
                services.AddLlmCache(options =>
                {
                    options.DefaultType = CacheType.Custom;
                    options.UseStore(CacheType.Custom, store);
                });
                services.AddSingleton<Assistant>();
            }
        }

        """;

    [Fact]
    public void A_service_without_a_runtime_in_an_app_that_calls_AddLlmCache_fails_the_build_saying_why_and_what_to_add()
    {
        GeneratorResult result = GeneratorHarness.Run(App + """
            public sealed partial class Assistant(Func<string, string> model)
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

                private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new(model(question));
            }
            """);

        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics, d => d.Id.StartsWith("LLMC", System.StringComparison.Ordinal));
        Assert.Equal(SharedRuntimeId, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string message = diagnostic.GetMessage();
        Assert.Contains("'Demo.Assistant' holds no LlmCacheRuntime", message, System.StringComparison.Ordinal);
        Assert.Contains("LlmCacheRuntime.Shared", message, System.StringComparison.Ordinal);
        Assert.Contains("AddLlmCache", message, System.StringComparison.Ordinal);
        Assert.Contains("LlmCacheRuntime runtime", message, System.StringComparison.Ordinal);
        SyntaxTree tree = result.Output.SyntaxTrees.Single(t => t.FilePath == diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("AskAsync", tree.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Same(tree, diagnostic.Location.SourceTree);
    }

    [Theory]
    [InlineData("a primary-constructor parameter", """
        public sealed partial class Assistant(Func<string, string> model, LlmCacheRuntime runtime)
        {
            [LlmCached]
            public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

            private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new(model(question));
        }
        """)]
    [InlineData("a field set by a constructor", """
        public sealed partial class Assistant
        {
            private readonly LlmCacheRuntime _cache;

            public Assistant(LlmCacheRuntime cache) => _cache = cache;

            [LlmCached]
            public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

            private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new(question);
        }
        """)]
    [InlineData("Shared held on purpose", """
        public sealed partial class Assistant
        {
            private static LlmCacheRuntime Cache => LlmCacheRuntime.Shared;

            [LlmCached]
            public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

            private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new(question);
        }
        """)]
    public void A_service_that_holds_a_runtime_builds_cleanly(string _, string service)
    {
        GeneratorResult result = GeneratorHarness.Run(App + service);

        Assert.Empty(result.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(result.CompilationProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void Without_AddLlmCache_a_type_without_a_runtime_uses_Shared_without_a_diagnostic()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using LlmCache;

            namespace Demo;

            public sealed partial class Assistant
            {
                [LlmCached]
                public partial ValueTask<string> AskAsync(string question, CacheControl control = default, CancellationToken cancellationToken = default);

                private ValueTask<string> AskAsyncCore(string question, CancellationToken cancellationToken) => new(question);
            }

            public static class Program
            {
                // Another AddLlmCache than LlmCache's is not a reason to report.
                public static void AddLlmCache(this object services) { }

                public static void Main() => new object().AddLlmCache();
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(result.CompilationProblems.Select(d => d.ToString()));
    }
}
