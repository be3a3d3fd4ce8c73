using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Tests.Systemd;

/// <summary>Records log calls, so tests assert by event id.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Entries => [.. _entries];

    public IReadOnlyList<int> EventIds => [.. _entries.Select(e => e.EventId.Id)];

    public int Count(int eventId) => _entries.Count(e => e.EventId.Id == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));
}
