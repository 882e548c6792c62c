using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.S3.Tests;

/// <summary>What the source generator writes for <c>[LlmCached] partial ValueTask&lt;string&gt; AskAsync(string prompt, CacheControl cache)</c>.</summary>
internal static class GeneratedCall
{
    public static ValueTask<string> AskAsync(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, Func<string, string> llm, CacheControl control = default)
    {
        if (!runtime.ShouldCache(method, control))
        {
            return new ValueTask<string>(llm(prompt));
        }

        Span<byte> stack = stackalloc byte[512];
        var writer = new CacheKeyWriter(stack, runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(prompt));
        try
        {
            runtime.WriteKeyHeader(ref writer, method, control);
            writer.WriteString(prompt);
            if (runtime.TryGetCached(method, control, writer.WrittenSpan, out CacheKeyHash hash, out string cached))
            {
                return new ValueTask<string>(cached);
            }

            return runtime.GetOrCreateAsync(
                method, control, writer.WrittenSpan.ToArray(), hash, (llm, prompt), static (s, _) => new ValueTask<string>(s.llm(s.prompt)), CancellationToken.None);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The store key under which the runtime keeps <paramref name="prompt"/>'s result (namespace from the method).</summary>
    public static CacheStoreKey StoreKey(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt)
    {
        CacheControl control = default;
        Span<byte> stack = stackalloc byte[512];
        var writer = new CacheKeyWriter(stack, runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(prompt));
        try
        {
            runtime.WriteKeyHeader(ref writer, method, control);
            writer.WriteString(prompt);
            return CacheStoreKey.FromCanonicalKey(method.Namespace, writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }
}
