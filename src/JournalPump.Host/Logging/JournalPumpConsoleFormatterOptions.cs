using Microsoft.Extensions.Logging.Console;

namespace JournalPump.Host.Logging;

/// <summary>How log lines are written.</summary>
internal enum JournalPumpLogFormat
{
    /// <summary>Journal lines when stderr is the journal (<see cref="JournalStream.IsStandardErrorJournal"/>), else terminal lines.</summary>
    Auto,

    /// <summary><c>&lt;N&gt;message</c>, one line per line of the message: journald reads the priority from the prefix and adds the time.</summary>
    Journal,

    /// <summary><c>time\tcategory\tLEVEL\tmessage</c>, upstream's terminal format.</summary>
    Terminal,
}

/// <summary>Options of <see cref="JournalPumpConsoleFormatter"/>.</summary>
internal sealed class JournalPumpConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The format; <see cref="JournalPumpLogFormat.Auto"/> by default.</summary>
    public JournalPumpLogFormat Format { get; set; }
}
