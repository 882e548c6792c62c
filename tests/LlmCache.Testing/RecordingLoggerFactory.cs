using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace LlmCache.Testing;

/// <summary>Collects the messages, event ids and levels that the runtime and the stores log, at every level.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> _entries = new();

    public IEnumerable<string> Messages => _entries.Select(e => e.Message);

    public int Count(int eventId) => _entries.Count(e => e.EventId == eventId);

    public int Count(LogLevel level) => _entries.Count(e => e.Level == level);

    public ILogger CreateLogger(string categoryName) => this;

    /// <summary>A typed logger for a constructor that asks for one; it records here.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId.Id, logLevel, formatter(state, exception) + " " + exception));

    public void Dispose()
    {
    }
}
