using System;
using System.Threading;
using System.Threading.Tasks;

namespace LlmCache.Testing;

/// <summary>
/// Calls an <see cref="LlmCacheRuntime"/> the way generated code does for a method <c>string Ask(string prompt)</c>:
/// <see cref="LlmCacheRuntime.ShouldCache"/>, the key header and the prompt written with <see cref="CacheKeyWriter"/>,
/// the synchronous hit path, then <see cref="LlmCacheRuntime.GetOrCreateAsync"/>.
/// </summary>
public static class CachedCalls
{
    /// <summary>The identity of the simulated method.</summary>
    public const string Identity = "LlmCache.Testing.Assistant.Ask(string)#v0";

    /// <summary>Describes the simulated method with the string serialiser.</summary>
    public static CachedMethod<string> Method(CacheType type, string? @namespace, int ttlSeconds = 0) =>
        new(Identity, type, ttlSeconds, @namespace, CacheValueSerializer.String);

    /// <summary>One call of the simulated method.</summary>
    public static ValueTask<string> AskAsync(
        LlmCacheRuntime runtime,
        CachedMethod<string> method,
        string prompt,
        CacheControl control,
        Func<string, CancellationToken, ValueTask<string>> implementation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(implementation);
        if (!runtime.ShouldCache(method, control))
        {
            return implementation(prompt, cancellationToken);
        }

        int size = runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(prompt);
        var writer = new CacheKeyWriter(stackalloc byte[512], size);
        try
        {
            runtime.WriteKeyHeader(ref writer, method, control);
            writer.WriteString(prompt);
            if (runtime.TryGetCached(method, control, writer.WrittenSpan, out CacheKeyHash hash, out string cached))
            {
                return new ValueTask<string>(cached);
            }

            return runtime.GetOrCreateAsync(
                method,
                control,
                writer.WrittenSpan.ToArray(),
                hash,
                (implementation, prompt),
                static (state, ct) => state.implementation(state.prompt, ct),
                cancellationToken);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The store key under which the runtime keeps the result of one call of the simulated method.</summary>
    public static CacheStoreKey StoreKey(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, CacheControl control = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(method);
        var writer = new CacheKeyWriter(stackalloc byte[512], runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(prompt));
        try
        {
            runtime.WriteKeyHeader(ref writer, method, control);
            writer.WriteString(prompt);
            string @namespace = control.Namespace ?? method.Namespace ?? runtime.GetOptions().Namespace ?? string.Empty;
            return CacheStoreKey.FromCanonicalKey(@namespace, writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The canonical key bytes of one call of the simulated method, from which tests compute its store key themselves.</summary>
    public static byte[] CanonicalKey(LlmCacheRuntime runtime, CachedMethod<string> method, string prompt, CacheControl control = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(method);
        var writer = new CacheKeyWriter(stackalloc byte[512], runtime.GetKeyHeaderSize(method, control) + CacheKeyWriter.MaxStringSize(prompt));
        try
        {
            runtime.WriteKeyHeader(ref writer, method, control);
            writer.WriteString(prompt);
            return writer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }
}

/// <summary>A stand-in for the model: answers with a new string on every call and counts the calls.</summary>
public sealed class CountingImplementation
{
    private int _calls;

    /// <summary>How many times the implementation ran.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The answer of call number <paramref name="call"/> (1-based) for <paramref name="prompt"/>.</summary>
    public static string AnswerFor(string prompt, int call) => $"{prompt} -> answer {call}";

    /// <summary>The implementation: returns <see cref="AnswerFor"/> of this call.</summary>
    public ValueTask<string> InvokeAsync(string prompt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<string>(AnswerFor(prompt, Interlocked.Increment(ref _calls)));
    }
}
