using System;

namespace LlmCache;

/// <summary>
/// Marks a <c>partial</c> method whose results are cached. The LlmCache source generator writes the method's body:
/// it builds a key from every parameter (except <see cref="System.Threading.CancellationToken"/>, <see cref="CacheControl"/>
/// and parameters marked <see cref="NotCacheKeyAttribute"/>), looks the key up, and on a miss calls the implementation
/// method (the method's name + <c>Core</c>, or <see cref="Implementation"/>) and stores its result.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LlmCachedAttribute : Attribute
{
    /// <summary>The store to cache into. <see cref="CacheType.Default"/> uses the runtime's default type.</summary>
    public CacheType Type { get; set; }

    /// <summary>
    /// Time to live of stored entries, in seconds. Unset uses the store's default TTL; an explicit 0 keeps nothing
    /// (LiteLLM's <c>ttl=0</c>: the answer is returned and not stored); a negative value is LLMC1006 at
    /// compile time, and at run time the method throws (a <see cref="TypeInitializationException"/> around an
    /// <see cref="ArgumentOutOfRangeException"/>) before its implementation is ever called. A per-call
    /// <see cref="CacheControl.Ttl"/> overrides it.
    /// </summary>
    public int Ttl { get; set; }

    /// <summary>The namespace entries are stored under (the reference's <c>namespace</c>); <c>null</c> uses the runtime's.</summary>
    public string? Namespace { get; set; }

    /// <summary>Bump to invalidate every entry this method has stored, for example after changing its prompt template.</summary>
    public int KeyVersion { get; set; }

    /// <summary>The name of the method that does the real call. Defaults to this method's name + <c>Core</c>.</summary>
    public string? Implementation { get; set; }

    /// <summary>
    /// A source-generated <c>JsonSerializerContext</c> that holds the result type, for stores outside the process.
    /// Overrides the assembly's <see cref="LlmCacheJsonContextAttribute"/>. Not needed for <c>string</c>,
    /// <c>byte[]</c> and Microsoft.Extensions.AI types.
    /// </summary>
    public Type? JsonContext { get; set; }

    /// <summary>
    /// The kind of call, when the result type does not say it (for example a <c>string</c> result that is a
    /// transcription). When it is not set, the generator infers it from the return type.
    /// </summary>
    public CallKind Kind { get; set; }
}
