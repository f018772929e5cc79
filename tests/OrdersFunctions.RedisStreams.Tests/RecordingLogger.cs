using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrdersFunctions.RedisStreams.Retention;

namespace OrdersFunctions.RedisStreams.Tests;

/// <summary>Keeps every log line written to it, with its level, for assertions on what the engine tells
/// operators.</summary>
internal sealed class RecordingLogger : ILogger<StreamRetention>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));

    public IReadOnlyList<string> At(LogLevel level) =>
        Lines.Where(l => l.Level == level).Select(l => l.Message).ToList();
}
