using System;
using System.Threading.Tasks;
using LlmCache.Testing;

namespace LlmCache.S3.Tests;

/// <summary>What the source generator writes for <c>[LlmCached] partial ValueTask&lt;string&gt; AskAsync(string prompt, CacheControl cache)</c> (<see cref="CachedCalls"/>).</summary>
internal static class GeneratedCall
{
    public static ValueTask<string> AskAsync(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, Func<string, string> llm, CacheControl control = default) =>
        CachedCalls.AskAsync(runtime, method, prompt, control, (p, _) => new ValueTask<string>(llm(p)));

    /// <summary>The store key under which the runtime keeps <paramref name="prompt"/>'s result (namespace from the method).</summary>
    public static CacheStoreKey StoreKey(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt) => CachedCalls.StoreKey(runtime, method, prompt);
}
