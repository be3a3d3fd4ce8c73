using JournalPump.Host.Config;
using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Logging;

/// <summary>journalpump's <c>log_level</c> names, syslog priorities and level names in log lines.</summary>
internal static class JournalPumpLogLevels
{
    /// <summary>A <c>log_level</c> name (case-insensitive): DEBUG, INFO, WARNING/WARN, ERROR, CRITICAL/FATAL.</summary>
    /// <param name="name">The name.</param>
    /// <param name="level">The level.</param>
    /// <returns>Whether the name is one of them.</returns>
    public static bool TryParse(string? name, out LogLevel level)
    {
        switch (name?.ToUpperInvariant())
        {
            case "DEBUG": level = LogLevel.Debug; return true;
            case "INFO": level = LogLevel.Information; return true;
            case "WARNING" or "WARN": level = LogLevel.Warning; return true;
            case "ERROR": level = LogLevel.Error; return true;
            case "CRITICAL" or "FATAL": level = LogLevel.Critical; return true;
            default: level = LogLevel.None; return false;
        }
    }

    /// <summary>The configured <c>log_level</c> as a minimum <see cref="LogLevel"/>.</summary>
    /// <param name="level">The parsed config value.</param>
    /// <returns>The level.</returns>
    public static LogLevel ToLogLevel(PumpLogLevel level) => level switch
    {
        PumpLogLevel.Debug => LogLevel.Debug,
        PumpLogLevel.Info => LogLevel.Information,
        PumpLogLevel.Warning => LogLevel.Warning,
        PumpLogLevel.Error => LogLevel.Error,
        PumpLogLevel.Critical => LogLevel.Critical,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a log level"),
    };

    /// <summary>The syslog priority journald reads from a <c>&lt;N&gt;</c> line prefix.</summary>
    /// <param name="level">The level.</param>
    /// <returns>2 (crit), 3 (err), 4 (warning), 6 (info) or 7 (debug).</returns>
    public static int SyslogPriority(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    /// <summary>The level as Python's logging names it (upstream's terminal format).</summary>
    /// <param name="level">The level.</param>
    /// <returns>DEBUG, INFO, WARNING, ERROR or CRITICAL.</returns>
    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Critical => "CRITICAL",
        LogLevel.Error => "ERROR",
        LogLevel.Warning => "WARNING",
        LogLevel.Information => "INFO",
        _ => "DEBUG",
    };
}
