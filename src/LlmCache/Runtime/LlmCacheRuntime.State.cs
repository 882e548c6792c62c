using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmCache;

/// <summary>The configuration snapshot: the options validated once, and the store layout each cache type resolves to.</summary>
public sealed partial class LlmCacheRuntime
{
    /// <summary>Which tiers serve one cache type.</summary>
    private sealed record StoreLayout(MemoryCacheStore? Local, TimeSpan? LocalDefaultTtl, ICacheStore? Remote, TimeSpan? RemoteDefaultTtl, string? Problem);

    /// <summary>An immutable configuration snapshot.</summary>
    private sealed class RuntimeState
    {
        private readonly StoreLayout[] _layouts;
        private readonly Dictionary<string, StoreLayout> _namedLayouts = new(StringComparer.Ordinal);

        /// <summary>The unknown store names already logged under this snapshot: one error per name, not one per call.</summary>
        private readonly HashSet<string> _reportedUnknownStores = new(StringComparer.Ordinal);
        private readonly List<ResilientCacheStore> _guards = new();

        /// <summary>One bit per supported <see cref="CallKind"/>, so the hit path tests a kind without a lookup.</summary>
        private readonly uint _supportedKinds;

        public RuntimeState(LlmCacheOptions options, RuntimeState? previous)
        {
            Options = options;
            Time = options.TimeProvider;
            Logger = options.LoggerFactory?.CreateLogger("LlmCache") ?? NullLogger.Instance;
            Integrity = StoreIntegrity.Create(options.Integrity);
            _supportedKinds = uint.MaxValue;
            if (options.SupportedCallKinds is { } kinds)
            {
                _supportedKinds = 0;
                foreach (CallKind kind in kinds)
                {
                    _supportedKinds |= 1u << (int)kind;
                }
            }

            bool sameMemory = previous is not null && SameMemorySettings(previous.Options, options);
            Memory = sameMemory ? previous!.Memory : new MemoryCacheStore(options.Memory, options.TimeProvider);
            SemanticIds = sameMemory ? previous!.SemanticIds : new SemanticEntryIds();

            // The built-in disk store and the guards keep their state (size estimate, breaker) across updates that leave them alone.
            Disk = previous is not null && previous.Options.Disk.SameAs(options.Disk) && SameServices(previous.Options, options)
                ? previous.Disk
                : new DiskCacheStore(options.Disk, options.TimeProvider, Logger);

            CacheType[] types = Enum.GetValues<CacheType>();
            _layouts = new StoreLayout[types.Length];
            foreach (CacheType type in types)
            {
                _layouts[(int)type] = CreateLayout(type == CacheType.Default ? options.DefaultType : type, previous);
            }

            // A named store is the remote tier alone: what the application registered is all the method asked for.
            foreach (KeyValuePair<string, StoreRegistration> named in options.NamedStores)
            {
                _namedLayouts[named.Key] = new StoreLayout(null, null, Guard(named.Value.Store, previous), named.Value.DefaultTtl, null);
            }
        }

        public LlmCacheOptions Options { get; }

        public TimeProvider Time { get; }

        public ILogger Logger { get; }

        /// <summary>Keys and seals remote entries under <see cref="LlmCacheOptions.Integrity"/>'s secret, or leaves them alone.</summary>
        public StoreIntegrity Integrity { get; }

        public MemoryCacheStore Memory { get; }

        /// <summary>Which memory entry each vector record of this process points at: records carry the remote digest, the memory tier needs the key.</summary>
        public SemanticEntryIds SemanticIds { get; }

        /// <summary>The disk store of <see cref="CacheType.Disk"/> when none is registered; it touches the disk only when used.</summary>
        public DiskCacheStore Disk { get; }

        public StoreLayout GetLayout(CacheType type) => _layouts[(int)type];

        /// <summary>Why this runtime serves the call, appended to a missing store's message: set for <see cref="Shared"/>.</summary>
        public string? ProblemCause { get; init; }

        /// <summary>Whether a call of <paramref name="kind"/> is cached under the mode and the supported call kinds.</summary>
        public bool Caches(CallKind kind, bool useCache) =>
            (useCache || Options.Mode == CacheMode.DefaultOn) && (uint)kind < 32 && (_supportedKinds & (1u << (int)kind)) != 0;

        /// <summary>The layouts of the named stores, for operations over every store.</summary>
        public IEnumerable<StoreLayout> NamedLayouts => _namedLayouts.Values;

        /// <summary>
        /// Whether <paramref name="method"/>'s named store, if it names one, is registered; when not, logs it once
        /// per snapshot and name, and the call skips the cache.
        /// </summary>
        public bool HasStoreOf<T>(CachedMethod<T> method)
        {
            if (method.Store is not { } name || _namedLayouts.ContainsKey(name))
            {
                return true;
            }

            bool first;
            lock (_reportedUnknownStores)
            {
                first = _reportedUnknownStores.Add(name);
            }

            if (first)
            {
                LlmCacheLog.UnknownStore(Logger, method.Identity, name);
            }

            return false;
        }

        /// <summary>What is missing for a method of <paramref name="type"/> and <paramref name="store"/> to cache, or <c>null</c> when nothing is.</summary>
        public string? ProblemOf(CacheType type, string? store) =>
            store is not null
                ? _namedLayouts.ContainsKey(store) ? null : UnknownStoreProblem(store)
                : (uint)type < (uint)_layouts.Length ? _layouts[(int)type].Problem : $"CacheType {(int)type} is not a cache type.";

        /// <summary>Whether a miss of <paramref name="method"/> reads a remote tier first: its store has one, and it can cache into it.</summary>
        public bool ReadsRemoteFirst<T>(CachedMethod<T> method)
        {
            StoreLayout? layout = method.Store is { } name
                ? _namedLayouts.GetValueOrDefault(name)
                : (uint)method.Type < (uint)_layouts.Length ? _layouts[(int)method.Type] : null;
            return layout is { Remote: not null, Problem: null } && method.Serializer is not null;
        }

        public StoreLayout GetLayout<T>(CacheType type, CachedMethod<T> method)
        {
            StoreLayout layout = method.Store is { } name
                ? _namedLayouts.TryGetValue(name, out StoreLayout? named) ? named : new StoreLayout(null, null, null, null, UnknownStoreProblem(name))
                : _layouts[(int)type];
            if (layout.Problem is { } problem)
            {
                throw new InvalidOperationException($"{method.Identity}: {problem}{ProblemCause}");
            }

            if (layout.Remote is not null && method.Serializer is null)
            {
                throw new InvalidOperationException(
                    $"{method.Identity} caches into {layout.Remote.Name}, which keeps values outside the process, but has no serializer for {typeof(T).FullName}. " +
                    "Name a JsonSerializerContext that includes the type ([assembly: LlmCacheJsonContext(typeof(MyContext))]), or use CacheType.Memory.");
            }

            return layout;
        }

        private StoreLayout CreateLayout(CacheType type, RuntimeState? previous)
        {
            if (SemanticCacheOptions.IsSemantic(type))
            {
                // A semantic type keeps its entries where its exact counterpart does; the vectors are the index's.
                StoreLayout exact = CreateLayout(type switch { CacheType.Semantic => CacheType.Memory, CacheType.RedisSemantic => CacheType.Redis, _ => CacheType.Dual }, previous);
                return exact.Problem is null && Options.Semantic.Problem(type) is { } problem ? exact with { Problem = problem } : exact;
            }

            TimeSpan? memoryTtl = Options.Memory.DefaultTtl;
            switch (type)
            {
                case CacheType.Memory:
                    return new StoreLayout(Memory, memoryTtl, null, null, null);
                case CacheType.Dual:
                    return Options.Stores.TryGetValue(CacheType.Redis, out StoreRegistration? redis)
                        ? new StoreLayout(Memory, memoryTtl, Guard(redis.Store, previous), redis.DefaultTtl, null)
                        : Missing(type, CacheType.Redis);
                default:
                    if (Options.Stores.TryGetValue(type, out StoreRegistration? registration))
                    {
                        return new StoreLayout(null, null, Guard(registration.Store, previous), registration.DefaultTtl, null);
                    }

                    return type == CacheType.Disk ? new StoreLayout(null, null, Guard(Disk, previous), Options.Disk.DefaultTtl, null) : Missing(type, type);
            }
        }

        /// <summary>
        /// Wraps every store but the memory store in a <see cref="ResilientCacheStore"/>. The disk store gets the
        /// breaker, so a directory that fails costs a few calls and one log line, but no timer (see there).
        /// </summary>
        private ICacheStore Guard(ICacheStore store, RuntimeState? previous)
        {
            if (!Options.Resilience.Enabled || store is MemoryCacheStore or ResilientCacheStore)
            {
                return store;
            }

            // One guard per store: Redis and Dual share it, and an update that leaves resilience alone keeps its breaker.
            ResilientCacheStore? guard = FindGuard(this, store);
            if (guard is null)
            {
                guard = FindGuard(previous, store);
                if (guard is null || !guard.Options.SameAs(Options.Resilience) || !SameServices(previous!.Options, Options))
                {
                    guard = new ResilientCacheStore(store, Options.Resilience, Logger, Time);
                }

                _guards.Add(guard);
            }

            return guard;
        }

        private static ResilientCacheStore? FindGuard(RuntimeState? state, ICacheStore store)
        {
            if (state is not null)
            {
                foreach (ResilientCacheStore guard in state._guards)
                {
                    if (ReferenceEquals(guard.Inner, store))
                    {
                        return guard;
                    }
                }
            }

            return null;
        }

        private static bool SameServices(LlmCacheOptions a, LlmCacheOptions b) =>
            ReferenceEquals(a.TimeProvider, b.TimeProvider) && ReferenceEquals(a.LoggerFactory, b.LoggerFactory);

        private static StoreLayout Missing(CacheType type, CacheType needed) =>
            new(null, null, null, null, $"CacheType.{type} needs a store registered for CacheType.{needed}, and none is. Register one with LlmCacheOptions.UseStore(CacheType.{needed}, store) or the store package's extension method.");

        private static string UnknownStoreProblem(string name) =>
            $"no store is registered under the name '{name}'. Register one with LlmCacheOptions.UseStore(\"{name}\", store) or the builder's AddStore(\"{name}\", ...).";

        private static bool SameMemorySettings(LlmCacheOptions a, LlmCacheOptions b) =>
            a.Memory.MaxEntries == b.Memory.MaxEntries && a.Memory.MaxBytes == b.Memory.MaxBytes &&
            a.Memory.DefaultTtl == b.Memory.DefaultTtl && a.Memory.AssumedValueSize == b.Memory.AssumedValueSize &&
            ReferenceEquals(a.TimeProvider, b.TimeProvider);
    }
}
