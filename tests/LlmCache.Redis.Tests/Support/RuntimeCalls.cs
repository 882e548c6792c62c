using LlmCache.Testing;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Redis.Tests.Support;

/// <summary>Calls a <see cref="CachedMethod{T}"/> of one <c>string</c> parameter the way generated code does (<see cref="CachedCalls"/>).</summary>
public static class RuntimeCalls
{
    /// <summary>A cached <c>string Ask(string prompt)</c> of the given type.</summary>
    public static CachedMethod<string> Method(CacheType type, int ttlSeconds = 0, string? @namespace = null) =>
        new("LlmCache.Redis.Tests.Assistant.Ask(string)#v0", type, ttlSeconds, @namespace, CacheValueSerializer.String);

    /// <summary>One call, through the shared simulation of generated code.</summary>
    public static ValueTask<string> CallAsync(
        LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, CountingModel model, CacheControl control = default, CancellationToken cancellationToken = default) =>
        CachedCalls.AskAsync(runtime, method, prompt, control, model.AnswerAsync, cancellationToken);

    /// <summary>The store key under which a call's entry lives.</summary>
    public static CacheStoreKey StoreKey(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, CacheControl control = default) =>
        CachedCalls.StoreKey(runtime, method, prompt, control);
}

/// <summary>The "LLM": answers from the prompt and counts its calls.</summary>
public sealed class CountingModel
{
    private int _calls;

    /// <summary>How many times it was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The answer to <paramref name="prompt"/>.</summary>
    public static string AnswerFor(string prompt) => "answer to " + prompt;

    /// <summary>Answers.</summary>
    public ValueTask<string> AnswerAsync(string prompt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<string>(AnswerFor(prompt));
    }
}
