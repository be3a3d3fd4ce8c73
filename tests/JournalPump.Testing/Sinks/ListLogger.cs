using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JournalPump.Testing.Sinks;

/// <summary>Records every log call (level, event id, formatted message and exception), for assertions.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<LogRecord> _entries = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<LogRecord> Entries => [.. _entries];

    /// <summary>How many entries have the event id.</summary>
    public int Count(int eventId) => _entries.Count(e => e.EventId.Id == eventId);

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue(new LogRecord(logLevel, eventId, formatter(state, exception), exception?.ToString()));
    }
}

/// <summary>One log call.</summary>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception's text, if any.</param>
public sealed record LogRecord(LogLevel Level, EventId EventId, string Message, string? Exception)
{
    /// <summary>The message and the exception.</summary>
    public override string ToString() => $"{Level} {EventId.Id} {Message} {Exception}";
}
