using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Daemon;

/// <summary>The daemon's event ids (9400-9499).</summary>
internal static class DaemonEventIds
{
    public const int Started = 9400;
    public const int Stopping = 9401;
    public const int Stopped = 9402;
    public const int StateReadFailed = 9403;
    public const int StateWriteFailed = 9404;
    public const int PumpFailed = 9405;
    public const int ReloadIgnored = 9406;
    public const int ReloadRejected = 9407;
    public const int Reloaded = 9408;
    public const int ConfigProblem = 9409;
    public const int NoStateFile = 9410;
}

internal static partial class DaemonLog
{
    [LoggerMessage(EventId = DaemonEventIds.Started, Level = LogLevel.Information, Message = "journalpump {Version} started: {Readers} reader(s), {Senders} sender(s)")]
    public static partial void Started(ILogger logger, string version, int readers, int senders);

    [LoggerMessage(EventId = DaemonEventIds.Stopping, Level = LogLevel.Information, Message = "Received {Signal}, stopping: senders have {GraceSeconds} s to deliver what they hold")]
    public static partial void Stopping(ILogger logger, string signal, double graceSeconds);

    [LoggerMessage(EventId = DaemonEventIds.Stopped, Level = LogLevel.Information, Message = "Stopped; state written")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = DaemonEventIds.StateReadFailed, Level = LogLevel.Error, Message = "The state file {Path} cannot be read ({Reason}); every sender starts at its reader's initial_position")]
    public static partial void StateReadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = DaemonEventIds.StateWriteFailed, Level = LogLevel.Error, Message = "The state file {Path} cannot be written: {Reason}")]
    public static partial void StateWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = DaemonEventIds.PumpFailed, Level = LogLevel.Critical, Message = "The pump stopped because of an error")]
    public static partial void PumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = DaemonEventIds.ReloadIgnored, Level = LogLevel.Information, Message = "Received SIGHUP; {Path} has not changed, nothing to reload")]
    public static partial void ReloadIgnored(ILogger logger, string path);

    [LoggerMessage(EventId = DaemonEventIds.ReloadRejected, Level = LogLevel.Error, Message = "Received SIGHUP; the new configuration in {Path} is not valid, the running one is kept: {Problems}")]
    public static partial void ReloadRejected(ILogger logger, string path, string problems);

    [LoggerMessage(EventId = DaemonEventIds.Reloaded, Level = LogLevel.Information, Message = "Received SIGHUP; configuration reloaded ({What})")]
    public static partial void Reloaded(ILogger logger, string what);

    [LoggerMessage(EventId = DaemonEventIds.ConfigProblem, Level = LogLevel.Warning, Message = "{Problem}")]
    public static partial void ConfigProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = DaemonEventIds.NoStateFile, Level = LogLevel.Warning, Message = "No json_state_file_path is configured: positions are not kept, and every start begins at initial_position")]
    public static partial void NoStateFile(ILogger logger);
}
