using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace LlmCache.Redis.Tests.Support;

/// <summary>One log event.</summary>
public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A logger factory that keeps every event, for assertions.</summary>
public sealed class ListLoggerProvider : ILoggerFactory
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    /// <summary>Every event so far.</summary>
    public IReadOnlyList<LogRecord> Records => _records.ToArray();

    /// <summary>The events of a category.</summary>
    public IReadOnlyList<LogRecord> InCategory(string category) => Records.Where(r => r.Category == category).ToArray();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
