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

    /// <summary>The namespace entries are stored under (LiteLLM's <c>namespace</c>); <c>null</c> uses the runtime's.</summary>
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

    /// <summary>
    /// Hand every caller the very instance the cache holds instead of a copy. Microsoft.Extensions.AI results
    /// (<c>ChatResponse</c>, <c>Embedding&lt;T&gt;</c>, <c>GeneratedEmbeddings&lt;T&gt;</c>, <c>SpeechToTextResponse</c>,
    /// <c>ChatMessage</c>, and the <c>ChatResponseUpdate</c>s of a stream) are mutable, so by default each hit gets its
    /// own copy (a few hundred bytes for a typical response), and each caller of a stream its own copy of every update;
    /// set this when no caller changes a result, to make a memory hit allocate nothing. A caller that then changes its
    /// result changes what every later hit returns.
    /// </summary>
    public bool ShareResult { get; set; }

    /// <summary>
    /// The name of a static method that writes this method's key (LiteLLM's custom <c>get_cache_key</c>), in the
    /// containing type or a base type: <c>static void F(ref CacheKeyWriter writer, ...)</c>, which writes through the
    /// allocation-free key writer, or <c>static string F(...)</c>, whose string is the key. Its parameters are the
    /// method's key parameters, in order and of the same types (every parameter but a <c>CancellationToken</c>, a
    /// <see cref="CacheControl"/> and those marked <see cref="NotCacheKeyAttribute"/>); a key parameter then needs no
    /// key form of its own. The namespace and the method identity (with <see cref="KeyVersion"/>) still start the key,
    /// so two methods or namespaces never share an entry whatever the function writes. LLMC0016 reports a function that
    /// is missing or has another signature.
    /// </summary>
    public string? KeyFunction { get; set; }

    /// <summary>
    /// The name of a store registered with <see cref="LlmCacheOptions.UseStore(string, ICacheStore, TimeSpan?, bool)"/>
    /// (LiteLLM's custom <c>add_cache</c> / <c>get_cache</c>) that this method caches into instead of <see cref="Type"/>'s.
    /// No memory tier sits in front of it. A name the runtime does not know fails the host's start when a container
    /// registers the containing type; otherwise each call logs an error and calls the implementation
    /// (<see cref="CacheOutcomeStatus.Bypassed"/>).
    /// </summary>
    public string? Store { get; set; }

    /// <summary>
    /// Cache calls whose <c>ChatOptions</c> key input names a <c>ConversationId</c>. Such a request continues a
    /// history the provider holds and the cache cannot see, so by default it skips the cache
    /// (<see cref="CacheOutcomeStatus.Bypassed"/>, log event 21), as Microsoft.Extensions.AI's own caching client does.
    /// Set this when the same conversation id and request always deserve the same answer (the id is in the key).
    /// </summary>
    public bool CacheConversations { get; set; }

    /// <summary>
    /// For a semantic <see cref="Type"/> (<see cref="CacheType.Semantic"/>, <see cref="CacheType.RedisSemantic"/>,
    /// <see cref="CacheType.DualSemantic"/>): the cosine similarity at or above which an earlier prompt's answer
    /// serves this one; 0 lets anything match, 1 only an identical prompt (the reference's <c>similarity_threshold</c>).
    /// Unset (<see cref="double.NaN"/>) uses the runtime's <see cref="SemanticCacheOptions.SimilarityThreshold"/>, 0.8 by
    /// default. A value outside [0, 1] is LLMC0015 at compile time.
    /// </summary>
    public double SimilarityThreshold { get; set; } = double.NaN;

    /// <summary>
    /// For a semantic <see cref="Type"/>: whether a semantic hit must also pass the <see cref="SemanticPrecisionGuard"/>,
    /// which rejects prompts that differ in a number, a negation, a quoted string, a name, an opposite or one swapped
    /// word. Unset uses the runtime's <see cref="SemanticCacheOptions.PrecisionGuard"/> (on by default).
    /// </summary>
    public bool PrecisionGuard { get; set; } = true;
}
