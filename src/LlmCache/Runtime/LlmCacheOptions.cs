using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace LlmCache;

/// <summary>
/// Settings of an <see cref="LlmCacheRuntime"/>: LiteLLM's <c>Cache(...)</c> parameters in .NET form.
/// Change them at run time through <see cref="LlmCacheRuntime.Update"/>, or bind them from configuration
/// (<c>services.AddLlmCache(configuration.GetSection("LlmCache"))</c>; the keys are listed in docs/configuration.md).
/// </summary>
public sealed class LlmCacheOptions
{
    private Dictionary<CacheType, StoreRegistration> _stores = new();
    private Dictionary<string, StoreRegistration> _namedStores = new(StringComparer.Ordinal);

    /// <summary>Whether caching is on. When off, every cached method calls its implementation directly.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The type used by methods whose attribute says <see cref="CacheType.Default"/>. Default <see cref="CacheType.Memory"/>.</summary>
    public CacheType DefaultType { get; set; } = CacheType.Memory;

    /// <summary>The namespace of methods and calls that name none (LiteLLM's <c>namespace</c>); <c>null</c> for the default namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// Whether a miss writes its answer to a store outside the process in the background (write-behind): the caller
    /// gets the implementation's answer as soon as there is one, and serialising it and writing it to the remote tier
    /// (and the memory tier in front) happen off its path. Concurrent and later callers of the key in this process
    /// share that answer until the write has landed, so the implementation is still called once; a failed write is
    /// counted and logged as without it. <see cref="LlmCacheRuntime.FlushWritesAsync"/> waits for the writes under
    /// way, and disposing the runtime flushes them before it closes its stores. Off by default: then a cached call
    /// returns once its entry is stored, so another process reads it as soon as the call is done.
    /// </summary>
    public bool WriteBehind { get; set; }

    /// <summary>
    /// The TTL when neither the call, the method nor the store gives one (LiteLLM's <c>ttl</c>); <c>null</c> or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no expiry. A TTL that reaches past
    /// <see cref="DateTimeOffset.MaxValue"/> means no expiry too; zero keeps nothing (LiteLLM's <c>ttl=0</c>); other
    /// negative values are rejected.
    /// </summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>
    /// Whether calls are cached unless they opt out (<see cref="CacheMode.DefaultOn"/>, the default) or only when
    /// their <see cref="CacheControl.UseCache"/> asks (<see cref="CacheMode.DefaultOff"/>), LiteLLM's <c>mode</c>.
    /// </summary>
    public CacheMode Mode { get; set; } = CacheMode.DefaultOn;

    /// <summary>
    /// The kinds of call that are cached (LiteLLM's <c>supported_call_types</c>); a method of another kind
    /// (<see cref="CachedMethod{T}.Kind"/>) calls its implementation directly. <c>null</c>, the default, caches every kind;
    /// an empty set caches none.
    /// </summary>
    public IReadOnlySet<CallKind>? SupportedCallKinds { get; set; }

    /// <summary>The memory store's limits and its default TTL (<c>default_in_memory_ttl</c>).</summary>
    public MemoryCacheStoreOptions Memory { get; set; } = new();

    /// <summary>
    /// The disk store that <see cref="CacheType.Disk"/> uses when no store is registered for it through
    /// <see cref="UseStore(CacheType, ICacheStore, TimeSpan?, bool)"/>: its directory (LiteLLM's <c>disk_cache_dir</c>), size limit and default TTL.
    /// </summary>
    public DiskCacheStoreOptions Disk { get; set; } = new();

    /// <summary>
    /// The timeout and circuit breaker that guard registered stores outside the process (every store except the
    /// memory and disk stores): a store outage then costs a few calls the timeout, not every call. See <see cref="ResilientCacheStore"/>.
    /// </summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// An application secret that keys remote digests and authenticates every entry written to a store outside
    /// the process, so that whoever can write to a shared Redis, bucket or directory cannot plant answers. Off unless
    /// a secret is set. See <see cref="IntegrityOptions"/>.
    /// </summary>
    public IntegrityOptions Integrity { get; set; } = new();

    /// <summary>The embedding model, similarity threshold, precision guard and vector indexes of the semantic cache types.</summary>
    public SemanticCacheOptions Semantic { get; set; } = new();

    /// <summary>The clock, replaceable in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the runtime logs store failures; <c>null</c> logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The most bytes of a non-seekable audio stream that a speech-to-text method (<see cref="CallKind.SpeechToText"/>)
    /// reads into memory to key it by its content; a longer stream makes the call bypass the cache, with a warning.
    /// 25 MiB by default, the largest file OpenAI's transcription endpoint takes.
    /// </summary>
    public long MaxBufferedAudioBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>The stores registered for each cache type.</summary>
    public IReadOnlyDictionary<CacheType, StoreRegistration> Stores => _stores;

    /// <summary>
    /// Registers <paramref name="store"/> for <paramref name="type"/>, with its own default TTL
    /// (LiteLLM's <c>default_in_redis_ttl</c> and the like). For <see cref="CacheType.Dual"/>, register the
    /// remote store under <see cref="CacheType.Redis"/>: Dual puts the memory store in front of it.
    /// The runtime guards every registered store except <see cref="MemoryCacheStore"/> with a
    /// <see cref="ResilientCacheStore"/> (timeout and circuit breaker; the breaker alone for a <see cref="DiskCacheStore"/>)
    /// configured by <see cref="Resilience"/>; a store registered already wrapped is used as it is.
    /// </summary>
    /// <param name="type">The cache type the store serves.</param>
    /// <param name="store">The store.</param>
    /// <param name="defaultTtl">
    /// The TTL of entries whose call and method give none; <c>null</c> for the runtime's,
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no expiry. Zero keeps nothing; other negative values are rejected.
    /// </param>
    /// <param name="disposeWithRuntime">
    /// Whether the runtime owns the store: it then disposes it when it is disposed itself, or when an
    /// <see cref="LlmCacheRuntime.Update"/> replaces it. Leave <c>false</c> for a store the application disposes.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="defaultTtl"/> is zero or negative and not <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is <see cref="CacheType.Default"/>, <see cref="CacheType.Memory"/> or <see cref="CacheType.Dual"/>, which are not registered this way.</exception>
    public LlmCacheOptions UseStore(CacheType type, ICacheStore store, TimeSpan? defaultTtl = null, bool disposeWithRuntime = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (type is CacheType.Default or CacheType.Memory or CacheType.Dual || SemanticCacheOptions.IsSemantic(type) || !Enum.IsDefined(type))
        {
            throw new ArgumentException(
                $"UseStore takes Disk, Redis, S3, AzureBlob or Custom, not {type}: the memory store is configured through Memory, Dual is the memory store in front of the Redis store, and the semantic types use those stores with the indexes of Semantic.",
                nameof(type));
        }

        CacheTtl.ThrowIfInvalidStoreDefault(defaultTtl, nameof(defaultTtl));

        _stores[type] = new StoreRegistration(store, defaultTtl, disposeWithRuntime);
        return this;
    }

    /// <summary>The stores registered under a name, for methods that choose one with <see cref="LlmCachedAttribute.Store"/>.</summary>
    public IReadOnlyDictionary<string, StoreRegistration> NamedStores => _namedStores;

    /// <summary>
    /// Registers <paramref name="store"/> under <paramref name="name"/> (LiteLLM's custom <c>add_cache</c> / <c>get_cache</c>)
    /// for the methods that say <c>[LlmCached(Store = "name")]</c>. Such a method caches into this store alone (no memory
    /// tier in front), guarded by a <see cref="ResilientCacheStore"/> as every registered store; its entries need a
    /// serialiser, as for any store outside the process. Registering a name again replaces its store.
    /// </summary>
    /// <param name="name">The name methods use; compared ordinally (case matters).</param>
    /// <param name="store">The store.</param>
    /// <param name="defaultTtl">As for <see cref="UseStore(CacheType, ICacheStore, TimeSpan?, bool)"/>.</param>
    /// <param name="disposeWithRuntime">As for <see cref="UseStore(CacheType, ICacheStore, TimeSpan?, bool)"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="defaultTtl"/> is negative and not <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</exception>
    public LlmCacheOptions UseStore(string name, ICacheStore store, TimeSpan? defaultTtl = null, bool disposeWithRuntime = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(store);
        CacheTtl.ThrowIfInvalidStoreDefault(defaultTtl, nameof(defaultTtl));

        _namedStores[name] = new StoreRegistration(store, defaultTtl, disposeWithRuntime);
        return this;
    }

    /// <summary>Every registration, by cache type and by name.</summary>
    internal IEnumerable<StoreRegistration> AllStoreRegistrations()
    {
        foreach (StoreRegistration registration in _stores.Values)
        {
            yield return registration;
        }

        foreach (StoreRegistration registration in _namedStores.Values)
        {
            yield return registration;
        }
    }

    /// <summary>
    /// Configures the disk store of <see cref="CacheType.Disk"/> (LiteLLM's <c>Cache(type="disk", disk_cache_dir=...)</c>).
    /// Set <see cref="DefaultType"/> to <see cref="CacheType.Disk"/> as well to make it the store of methods that name no type.
    /// Replaces a store registered for <see cref="CacheType.Disk"/> through <see cref="UseStore(CacheType, ICacheStore, TimeSpan?, bool)"/>.
    /// </summary>
    /// <param name="directory">The cache directory; <c>null</c> for <see cref="DiskCacheStoreOptions.DefaultDirectory"/>.</param>
    /// <param name="defaultTtl">The TTL of entries whose call and method give none; <c>null</c> to keep them until evicted.</param>
    public LlmCacheOptions UseDisk(string? directory = null, TimeSpan? defaultTtl = null)
    {
        var disk = Disk.Clone();
        disk.Directory = directory;
        disk.DefaultTtl = defaultTtl;
        disk.Validate();
        Disk = disk;
        _stores.Remove(CacheType.Disk);
        return this;
    }

    internal void Validate()
    {
        if (!Enum.IsDefined(DefaultType) || DefaultType == CacheType.Default)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultType), DefaultType, $"LlmCache:DefaultType must be one of {string.Join(", ", AcceptedDefaultTypes())}.");
        }

        if (DefaultTtl is { } ttl && !CacheTtl.IsValid(ttl))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTtl), ttl, $"LlmCache:DefaultTtl {CacheTtl.AcceptedDefaults} for no expiry.");
        }

        if (MaxBufferedAudioBytes is < 0 or > int.MaxValue - 64)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBufferedAudioBytes), MaxBufferedAudioBytes, "LlmCache:MaxBufferedAudioBytes must be between 0 and the size of the largest array.");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "LlmCache:Mode must be DefaultOn or DefaultOff.");
        }

        if (SupportedCallKinds is not null)
        {
            foreach (CallKind kind in SupportedCallKinds)
            {
                if (!Enum.IsDefined(kind))
                {
                    throw new ArgumentOutOfRangeException(nameof(SupportedCallKinds), kind, $"LlmCache:SupportedCallKinds holds {kind}, which is not one of {string.Join(", ", Enum.GetNames<CallKind>())}.");
                }
            }
        }

        ArgumentNullException.ThrowIfNull(Memory, nameof(Memory));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(Disk, nameof(Disk));
        ArgumentNullException.ThrowIfNull(Resilience, nameof(Resilience));
        ArgumentNullException.ThrowIfNull(Integrity, nameof(Integrity));
        ArgumentNullException.ThrowIfNull(Semantic, nameof(Semantic));
        Semantic.Validate();
        Memory.Validate();
        Disk.Validate();
        Resilience.Validate();
        Integrity.Validate();
    }

    internal LlmCacheOptions Clone()
    {
        var copy = (LlmCacheOptions)MemberwiseClone();
        copy.Memory = Memory.Clone();
        copy.Disk = Disk.Clone();
        copy.Resilience = Resilience.Clone();
        copy.Integrity = Integrity.Clone();
        copy.Semantic = Semantic.Clone();
        copy._stores = new Dictionary<CacheType, StoreRegistration>(_stores);
        copy._namedStores = new Dictionary<string, StoreRegistration>(_namedStores, StringComparer.Ordinal);
        copy.SupportedCallKinds = SupportedCallKinds is null ? null : new HashSet<CallKind>(SupportedCallKinds);
        return copy;
    }

    private static IEnumerable<CacheType> AcceptedDefaultTypes()
    {
        foreach (CacheType type in Enum.GetValues<CacheType>())
        {
            if (type != CacheType.Default)
            {
                yield return type;
            }
        }
    }
}

/// <summary>A store registered for a cache type, with its default TTL.</summary>
/// <param name="Store">The store.</param>
/// <param name="DefaultTtl">The TTL of entries whose call and method give none; <c>null</c> for the runtime's.</param>
/// <param name="DisposeWithRuntime">Whether the runtime disposes the store (see <see cref="LlmCacheOptions.UseStore(CacheType, ICacheStore, TimeSpan?, bool)"/>).</param>
public sealed record StoreRegistration(ICacheStore Store, TimeSpan? DefaultTtl, bool DisposeWithRuntime = false);
