using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace LlmCache.Stores.Tests;

/// <summary>How a <see cref="FaultyStore"/> answers.</summary>
internal enum FaultMode
{
    Healthy,
    Failing,
    Hanging,
}

/// <summary>A memory store that can be switched to throw, or to never answer (ignoring cancellation), and counts the operations that reach it.</summary>
internal sealed class FaultyStore(string name) : ICacheStore
{
    private readonly MemoryCacheStore _inner = new();
    private int _calls;

    public string Name { get; } = name;

    public volatile FaultMode Mode;

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentBag<CancellationToken> Tokens { get; } = new();

    public ValueTask<CacheEntry?> GetAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
        Enter(cancellationToken) ? _inner.GetAsync(key, cancellationToken) : new ValueTask<CacheEntry?>(Fault<CacheEntry?>());

    public ValueTask SetAsync(CacheStoreKey key, CacheEntry entry, CancellationToken cancellationToken = default) =>
        Enter(cancellationToken) ? _inner.SetAsync(key, entry, cancellationToken) : new ValueTask(Fault<bool>());

    public ValueTask<bool> RemoveAsync(CacheStoreKey key, CancellationToken cancellationToken = default) =>
        Enter(cancellationToken) ? _inner.RemoveAsync(key, cancellationToken) : new ValueTask<bool>(Fault<bool>());

    public ValueTask ClearNamespaceAsync(string @namespace, CancellationToken cancellationToken = default) =>
        Enter(cancellationToken) ? _inner.ClearNamespaceAsync(@namespace, cancellationToken) : new ValueTask(Fault<bool>());

    /// <summary>Counts the operation; whether the store is healthy.</summary>
    private bool Enter(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Tokens.Add(cancellationToken);
        return Mode == FaultMode.Healthy;
    }

    /// <summary>A failed operation, or one that never ends (it ignores cancellation, as a stuck connection may).</summary>
    private Task<T> Fault<T>() =>
        Mode == FaultMode.Failing ? Task.FromException<T>(new InvalidOperationException($"{Name} is down.")) : new TaskCompletionSource<T>().Task;
}

/// <summary>A clock the test moves by hand; its timers still run on real time.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Collects log entries.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => _entries.ToArray();

    public IEnumerable<(LogLevel Level, EventId Id, string Message)> AtLeast(LogLevel level) => Entries.Where(e => e.Level >= level);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public void Dispose()
    {
    }
}
