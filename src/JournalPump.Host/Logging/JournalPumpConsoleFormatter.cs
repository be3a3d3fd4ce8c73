using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace JournalPump.Host.Logging;

/// <summary>
/// The daemon's log lines. Under systemd (stderr is the journal): <c>&lt;N&gt;message</c> with N the syslog
/// priority and no timestamp (journald adds one); a message or exception of several lines becomes several
/// prefixed lines, since journald splits on newlines. Otherwise upstream's terminal format:
/// <c>2024-01-02 03:04:05,678\tcategory\tLEVEL\tmessage</c>, local time, the exception on the following lines.
/// </summary>
internal sealed class JournalPumpConsoleFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name for <c>ConsoleLoggerOptions.FormatterName</c>.</summary>
    public const string FormatterName = "journalpump";

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the formatter (dependency injection).</summary>
    /// <param name="options">The options.</param>
    public JournalPumpConsoleFormatter(IOptionsMonitor<JournalPumpConsoleFormatterOptions> options)
        : this(options?.CurrentValue.Format ?? throw new ArgumentNullException(nameof(options)), TimeProvider.System)
    {
    }

    /// <summary>Creates the formatter with a clock.</summary>
    /// <param name="format">The format; Auto is resolved here, once.</param>
    /// <param name="timeProvider">The clock for terminal timestamps.</param>
    internal JournalPumpConsoleFormatter(JournalPumpLogFormat format, TimeProvider timeProvider)
        : base(FormatterName)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Format = format == JournalPumpLogFormat.Auto
            ? JournalStream.IsStandardErrorJournal() ? JournalPumpLogFormat.Journal : JournalPumpLogFormat.Terminal
            : format;
    }

    /// <summary>The format in use: Journal or Terminal.</summary>
    public JournalPumpLogFormat Format { get; }

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        if (Format == JournalPumpLogFormat.Journal)
        {
            WriteJournal(textWriter, logEntry.LogLevel, message ?? "", logEntry.Exception);
        }
        else
        {
            WriteTerminal(textWriter, _timeProvider.GetLocalNow(), logEntry.Category, logEntry.LogLevel, message ?? "", logEntry.Exception);
        }
    }

    /// <summary>Journal lines: every line of the message, then of the exception, prefixed with <c>&lt;N&gt;</c>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="level">The level.</param>
    /// <param name="message">The message.</param>
    /// <param name="exception">The exception, if any.</param>
    internal static void WriteJournal(TextWriter writer, LogLevel level, string message, Exception? exception)
    {
        string prefix = "<" + JournalPumpLogLevels.SyslogPriority(level).ToString(CultureInfo.InvariantCulture) + ">";
        WritePrefixedLines(writer, prefix, message);
        if (exception is not null)
        {
            WritePrefixedLines(writer, prefix, exception.ToString());
        }
    }

    /// <summary>A terminal line: <c>time\tcategory\tLEVEL\tmessage</c>, then the exception's lines as they are.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="time">The time (local).</param>
    /// <param name="category">The logger's category.</param>
    /// <param name="level">The level.</param>
    /// <param name="message">The message.</param>
    /// <param name="exception">The exception, if any.</param>
    internal static void WriteTerminal(TextWriter writer, DateTimeOffset time, string category, LogLevel level, string message, Exception? exception)
    {
        // Python's asctime: "2024-01-02 03:04:05,678".
        writer.Write(time.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture));
        writer.Write('\t');
        writer.Write(category);
        writer.Write('\t');
        writer.Write(JournalPumpLogLevels.Name(level));
        writer.Write('\t');
        writer.Write(message.ReplaceLineEndings("\n"));
        writer.Write('\n');
        if (exception is not null)
        {
            writer.Write(exception.ToString().ReplaceLineEndings("\n"));
            writer.Write('\n');
        }
    }

    private static void WritePrefixedLines(TextWriter writer, string prefix, string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            writer.Write(prefix);
            writer.Write(line);
            writer.Write('\n');
        }
    }
}
