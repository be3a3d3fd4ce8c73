using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Logging;

/// <summary>The minimum level of the daemon's log, changed on SIGHUP when <c>log_level</c> changes. Thread-safe.</summary>
internal sealed class LogLevelSwitch
{
    private volatile int _minimumLevel;

    /// <summary>Creates the switch.</summary>
    /// <param name="minimumLevel">The level to start with (upstream's default is INFO).</param>
    public LogLevelSwitch(LogLevel minimumLevel = LogLevel.Information) => _minimumLevel = (int)minimumLevel;

    /// <summary>Messages below this level are not logged.</summary>
    public LogLevel MinimumLevel
    {
        get => (LogLevel)_minimumLevel;
        set => _minimumLevel = (int)value;
    }

    /// <summary>Whether a message of this level is logged.</summary>
    /// <param name="level">The level.</param>
    /// <returns>Whether it passes.</returns>
    public bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= MinimumLevel;
}
