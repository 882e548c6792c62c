using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace LlmCache.Embeddings.Tests.Semantic;

/// <summary>A logger factory that keeps every event's id and formatted message.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _events = new();

    public IReadOnlyCollection<(int EventId, string Message)> Events => _events.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(_events);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(int, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
