using System;
using System.ComponentModel;
using System.Threading.Tasks;

namespace LlmCache;

/// <summary>
/// The cache that generated <see cref="LlmCachedAttribute"/> methods call. A containing type that holds one in a
/// field, property or primary-constructor parameter (from dependency injection) uses it; otherwise generated code
/// uses <see cref="Shared"/>, the process-wide default, which <see cref="Enable"/>, <see cref="Disable"/> and
/// <see cref="Update"/> switch and reconfigure at run time (LiteLLM's <c>enable_cache</c>,
/// <c>disable_cache</c> and <c>update_cache</c>).
/// </summary>
/// <remarks>
/// <para>The configuration is an immutable snapshot swapped atomically, so the hit path reads it without a lock.</para>
/// <para>
/// Disposing the runtime disposes the stores it owns (those registered with <c>disposeWithRuntime</c>, as
/// <c>UseRedis</c> and <c>UseS3</c> do), so buffered writes are flushed; afterwards cached methods call their
/// implementation directly. A dependency-injection container disposes the runtime that
/// <c>AddLlmCache</c> registers.
/// </para>
/// </remarks>
public sealed partial class LlmCacheRuntime : IDisposable, IAsyncDisposable
{
    private readonly object _updateLock = new();
    private readonly SingleFlight _flights = new();

    // Write-behinds under way (LlmCacheOptions.WriteBehind), which FlushWritesAsync and disposal wait for.
    private readonly PendingWrites _writesBehind = new();
    private volatile RuntimeState _state;
    private volatile bool _disposed;

    /// <summary>Creates a runtime with the default options: enabled, in-memory.</summary>
    public LlmCacheRuntime()
        : this(new LlmCacheOptions())
    {
    }

    /// <summary>Creates a runtime.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the accepted values.</exception>
    public LlmCacheRuntime(LlmCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LlmCacheOptions copy = options.Clone();
        copy.Validate();
        _state = new RuntimeState(copy, previous: null);
    }

    /// <summary>The process-wide runtime used by cached methods whose type holds no <see cref="LlmCacheRuntime"/>.</summary>
    public static LlmCacheRuntime Shared { get; } = CreateShared();

    /// <summary>Whether caching is on.</summary>
    public bool IsEnabled => _state.Options.Enabled;

    /// <summary>The memory store in use.</summary>
    public MemoryCacheStore MemoryStore => _state.Memory;

    /// <summary>How many shared calls for missed keys are running now.</summary>
    internal int InFlightCount => _flights.Count;

    /// <summary>A copy of the current options.</summary>
    public LlmCacheOptions GetOptions() => _state.Options.Clone();

    /// <summary>Turns caching on.</summary>
    public void Enable() => Update(static o => o.Enabled = true);

    /// <summary>Turns caching off: cached methods call their implementation directly until <see cref="Enable"/>.</summary>
    public void Disable() => Update(static o => o.Enabled = false);

    /// <summary>
    /// Changes the configuration. <paramref name="configure"/> edits a copy of the current options; the copy is
    /// validated and then replaces the current one for every later call. The memory store keeps its entries
    /// unless its limits change.
    /// </summary>
    /// <remarks>
    /// A store the runtime owns that the update replaces or removes is disposed, which flushes its buffered writes;
    /// a call still using it at that moment treats it as a failing store (a miss, not an exception).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the current configuration stays.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public void Update(Action<LlmCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        RuntimeState previous;
        RuntimeState current;
        lock (_updateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            previous = _state;
            LlmCacheOptions next = previous.Options.Clone();
            try
            {
                configure(next);
                next.Validate();
            }
            catch
            {
                // The rejected copy is private to this call: stores it created for the runtime to own would leak.
                foreach (ICacheStore created in OwnedStores(next, keep: previous.Options))
                {
                    CloseStore(created, previous.Logger);
                }

                throw;
            }

            _state = current = new RuntimeState(next, previous) { ProblemCause = previous.ProblemCause };
        }

        foreach (ICacheStore dropped in OwnedStores(previous.Options, keep: current.Options))
        {
            CloseStore(dropped, current.Logger);
        }
    }

    /// <summary>Generated code: an upper bound on the bytes <see cref="WriteKeyHeader"/> writes.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public int GetKeyHeaderSize<T>(CachedMethod<T> method, in CacheControl control) =>
        5 + method.IdentityUtf8.Length + 1 + CacheKeyWriter.MaxStringSize(ResolveNamespace(_state, method, control));

    /// <summary>Generated code: writes the namespace and the method identity, the start of every key.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WriteKeyHeader<T>(ref CacheKeyWriter writer, CachedMethod<T> method, in CacheControl control)
    {
        writer.WriteNamespace(ResolveNamespace(_state, method, control));
        writer.WriteMethod(method.IdentityUtf8.Span);
    }

    private static string ResolveNamespace<T>(RuntimeState state, CachedMethod<T> method, in CacheControl control) =>
        control.Namespace ?? method.Namespace ?? state.Options.Namespace ?? string.Empty;

    /// <summary>Whether <paramref name="key"/> starts with the header of <paramref name="namespace"/>, as <see cref="WriteKeyHeader"/> wrote it.</summary>
    private static bool KeyIsInNamespace(ReadOnlySpan<byte> key, string @namespace)
    {
        var writer = new CacheKeyWriter(stackalloc byte[128]);
        try
        {
            writer.WriteNamespace(@namespace);
            return key.StartsWith(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }
}
