using System;

namespace LlmCache;

/// <summary>What a cached call did; LiteLLM's <c>cache_hit</c>. Pass one through <see cref="CacheControl.Outcome"/> to read it.</summary>
/// <remarks>Not thread-safe: use one instance per call.</remarks>
public sealed class CacheOutcome
{
    /// <summary>Hit, miss, or bypassed.</summary>
    public CacheOutcomeStatus Status { get; internal set; }

    /// <summary>The tier that answered a hit (<c>"memory"</c>, <c>"redis"</c>, ...), or <c>null</c> on a miss.</summary>
    public string? Tier { get; internal set; }

    /// <summary>The entry's age when it was served from the cache.</summary>
    public TimeSpan? Age { get; internal set; }

    /// <summary>
    /// For a semantic hit (<see cref="CacheType.Semantic"/> and its kin), the cosine similarity of the call's text and
    /// the cached prompt's, in [-1, 1]; <c>null</c> for an exact hit, a miss, or a call that is not semantic.
    /// </summary>
    public double? Similarity { get; internal set; }

    // The digests are kept as they are and formatted when read, so that recording a hit allocates nothing.
    private CacheKeyHash? _hash;
    private string? _key;
    private byte[]? _canonicalKey;
    private StoredKey? _storedKey;
    private StoreIntegrity? _integrity;
    private string? _remoteKey;
    private CacheStoreKey? _readKey;

    /// <summary>The in-process key digest, as 32 hex characters. Unique within this process only (its hash is seeded per process).</summary>
    public string? Key => _key ??= _hash?.ToString();

    /// <summary>
    /// The key that stores outside the process file the entry under: the SHA-256 (with an integrity secret, the
    /// HMAC-SHA-256) of the canonical key, as 64 lower-case hex characters; LiteLLM's <c>x-litellm-cache-key</c>.
    /// The same in every process; pass it to <see cref="LlmCacheRuntime.RemoveAsync"/> to delete the entry. It is
    /// computed when first read, so a call that never reads it pays nothing. <c>null</c> when the call built no key.
    /// For a semantic hit, the key of the entry that answered.
    /// </summary>
    public string? RemoteKey => _remoteKey ??= _readKey is { } read ? read.Hex
        : _storedKey is { } stored ? stored.RemoteKey(_integrity!)
        : _canonicalKey is null ? null : _integrity!.FormatRemoteKey(_canonicalKey);

    /// <summary>The namespace the call's entry is filed under (<c>""</c> is the default), or <c>null</c> when the call built no key.</summary>
    public string? Namespace { get; private set; }

    /// <summary>True when the call was a hit.</summary>
    public bool IsHit => Status == CacheOutcomeStatus.Hit;

    internal void Record(CacheOutcomeStatus status, string? tier, TimeSpan? age, CacheKeyHash key)
    {
        Status = status;
        Tier = tier;
        Age = age;
        Similarity = null;
        _hash = key;
        _key = null;
        SetKeySource(canonical: null, stored: null, read: null);
        Namespace = null;
    }

    /// <summary>Keeps what <see cref="RemoteKey"/> is computed from: the canonical key bytes (not copied: they are never changed) and the runtime's integrity setting.</summary>
    internal void RecordKey(byte[] canonicalKey, string @namespace, StoreIntegrity integrity)
    {
        SetKeySource(canonicalKey, stored: null, read: null);
        _integrity = integrity;
        Namespace = @namespace;
    }

    /// <summary>A memory hit: the entry's key, whose remote key is formatted once for all its hits.</summary>
    internal void RecordKey(StoredKey storedKey, string @namespace, StoreIntegrity integrity)
    {
        SetKeySource(canonical: null, storedKey, read: null);
        _integrity = integrity;
        Namespace = @namespace;
    }

    /// <summary>A remote hit: the store key it was read under, whose digest <see cref="RemoteKey"/> names (the call kept no copy of the canonical key).</summary>
    internal void RecordStoreKey(CacheStoreKey key)
    {
        SetKeySource(canonical: null, stored: null, key);
        Namespace = key.Namespace;
    }

    /// <summary>A semantic hit: its similarity, and the matched entry's remote key, which <see cref="RemoteKey"/> then names.</summary>
    internal void RecordSemanticMatch(double similarity, string remoteKey)
    {
        Similarity = similarity;
        _remoteKey = remoteKey;
    }

    /// <summary>Records that the call skipped the cache.</summary>
    internal void RecordBypassed()
    {
        Reset();
        Status = CacheOutcomeStatus.Bypassed;
    }

    internal void Reset()
    {
        Status = CacheOutcomeStatus.None;
        Tier = null;
        Age = null;
        Similarity = null;
        _hash = null;
        _key = null;
        SetKeySource(canonical: null, stored: null, read: null);
        Namespace = null;
    }

    /// <summary>What <see cref="RemoteKey"/> is made from (at most one of the three), and no remote key made yet.</summary>
    private void SetKeySource(byte[]? canonical, StoredKey? stored, CacheStoreKey? read)
    {
        _canonicalKey = canonical;
        _storedKey = stored;
        _readKey = read;
        _remoteKey = null;
    }
}

/// <summary>The kinds of <see cref="CacheOutcome"/>.</summary>
public enum CacheOutcomeStatus
{
    /// <summary>Nothing recorded yet.</summary>
    None = 0,

    /// <summary>The value came from a cache tier.</summary>
    Hit = 1,

    /// <summary>The implementation was called (or a concurrent call for the same key was awaited).</summary>
    Miss = 2,

    /// <summary>
    /// Caching was off for this call: globally disabled, <see cref="CacheControl.NoCache"/> with <see cref="CacheControl.NoStore"/>,
    /// or a key input was an instance of a type derived from the one its key form was made for (see <c>LlmCacheRuntime.BypassUnkeyedType</c>).
    /// </summary>
    Bypassed = 3,
}
