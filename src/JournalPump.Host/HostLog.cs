using Microsoft.Extensions.Logging;

namespace JournalPump.Host;

/// <summary>
/// Log messages of the file sender, sd_notify and the watchdog (event ids 9100-9399; the daemon's own
/// messages use 9400 and up).
/// </summary>
internal static partial class HostLog
{
    /// <summary>The event ids (range 9100-9399).</summary>
    internal static class Ids
    {
        /// <summary>The file sender opened its output.</summary>
        public const int FileSinkOpened = 9100;

        /// <summary>The output was rotated, truncated or removed, or SIGHUP asked for it: reopening.</summary>
        public const int FileSinkReopening = 9101;

        /// <summary>The output could not be opened; the batch is retried.</summary>
        public const int FileSinkOpenFailed = 9102;

        /// <summary>A write failed; the batch is retried, nothing was acknowledged.</summary>
        public const int FileSinkWriteFailed = 9103;

        /// <summary>After a failed write, the partial batch could not be cut off again.</summary>
        public const int FileSinkPartialBatchKept = 9104;

        /// <summary>fsync failed.</summary>
        public const int FileSinkSyncFailed = 9105;

        /// <summary>The file ended in an unfinished line (a crash in mid-write), which was cut off.</summary>
        public const int FileSinkUnfinishedLineCut = 9110;

        /// <summary>statx is missing from libc: rotation is detected on SIGHUP only.</summary>
        public const int FileSinkRotationDetectionUnavailable = 9106;

        /// <summary>NOTIFY_SOCKET is set but is not a unix socket address.</summary>
        public const int NotifySocketInvalid = 9200;

        /// <summary>Sending to NOTIFY_SOCKET failed (logged once per run of failures).</summary>
        public const int NotifySendFailed = 9201;

        /// <summary>Sending to NOTIFY_SOCKET works again.</summary>
        public const int NotifySendRecovered = 9202;

        /// <summary>The systemd watchdog is enabled.</summary>
        public const int WatchdogEnabled = 9300;

        /// <summary>WATCHDOG_USEC or WATCHDOG_PID cannot be parsed.</summary>
        public const int WatchdogSettingsInvalid = 9301;

        /// <summary>The health check failed: watchdog pings withheld, systemd will restart the service.</summary>
        public const int WatchdogWithheld = 9302;

        /// <summary>The health check passes again: watchdog pings resumed.</summary>
        public const int WatchdogResumed = 9303;
    }

    [LoggerMessage(EventId = Ids.FileSinkOpened, Level = LogLevel.Information, Message = "File sender {Sender}: writing to {Path}")]
    public static partial void FileSinkOpened(ILogger logger, string sender, string path);

    [LoggerMessage(EventId = Ids.FileSinkReopening, Level = LogLevel.Information, Message = "File sender {Sender}: reopening {Path}: {Reason}")]
    public static partial void FileSinkReopening(ILogger logger, string sender, string path, string reason);

    [LoggerMessage(EventId = Ids.FileSinkOpenFailed, Level = LogLevel.Warning, Message = "File sender {Sender}: cannot open {Path}, will retry: {Reason}")]
    public static partial void FileSinkOpenFailed(ILogger logger, string sender, string path, string reason);

    [LoggerMessage(EventId = Ids.FileSinkWriteFailed, Level = LogLevel.Warning, Message = "File sender {Sender}: writing to {Path} failed, the batch will be retried: {Reason}")]
    public static partial void FileSinkWriteFailed(ILogger logger, string sender, string path, string reason);

    [LoggerMessage(EventId = Ids.FileSinkPartialBatchKept, Level = LogLevel.Warning, Message = "File sender {Sender}: could not cut the partly written batch off {Path}; the retry follows a partial line: {Reason}")]
    public static partial void FileSinkPartialBatchKept(ILogger logger, string sender, string path, string reason);

    [LoggerMessage(EventId = Ids.FileSinkUnfinishedLineCut, Level = LogLevel.Warning, Message = "File sender {Sender}: {Path} ended in an unfinished line ({Bytes} bytes, from a stop in mid-write; never acknowledged, so it is sent again); cut it off")]
    public static partial void FileSinkUnfinishedLineCut(ILogger logger, string sender, string path, long bytes);

    [LoggerMessage(EventId = Ids.FileSinkSyncFailed, Level = LogLevel.Error, Message = "File sender {Sender}: fsync of {Path} failed, written lines may not be on disk: {Reason}")]
    public static partial void FileSinkSyncFailed(ILogger logger, string sender, string path, string reason);

    [LoggerMessage(EventId = Ids.FileSinkRotationDetectionUnavailable, Level = LogLevel.Warning, Message = "File sender {Sender}: statx is not available in this libc; rotation of {Path} is noticed on SIGHUP only")]
    public static partial void FileSinkRotationDetectionUnavailable(ILogger logger, string sender, string path);

    [LoggerMessage(EventId = Ids.NotifySocketInvalid, Level = LogLevel.Error, Message = "NOTIFY_SOCKET={Value} is not a unix socket address (an absolute path or @abstract name): {Reason}; systemd notifications are disabled, and a Type=notify service will time out")]
    public static partial void NotifySocketInvalid(ILogger logger, string value, string reason);

    [LoggerMessage(EventId = Ids.NotifySendFailed, Level = LogLevel.Warning, Message = "Sending {Message} to the systemd notification socket {Socket} failed: {Reason}; further failures are not logged until a send succeeds")]
    public static partial void NotifySendFailed(ILogger logger, string message, string socket, string reason);

    [LoggerMessage(EventId = Ids.NotifySendRecovered, Level = LogLevel.Information, Message = "Sending to the systemd notification socket {Socket} works again")]
    public static partial void NotifySendRecovered(ILogger logger, string socket);

    [LoggerMessage(EventId = Ids.WatchdogEnabled, Level = LogLevel.Information, Message = "systemd watchdog enabled: timeout {Timeout}, pinging every {Interval} while healthy")]
    public static partial void WatchdogEnabled(ILogger logger, TimeSpan timeout, TimeSpan interval);

    [LoggerMessage(EventId = Ids.WatchdogSettingsInvalid, Level = LogLevel.Error, Message = "systemd watchdog settings not understood ({Variable}={Value}); the watchdog is not pinged")]
    public static partial void WatchdogSettingsInvalid(ILogger logger, string variable, string value);

    [LoggerMessage(EventId = Ids.WatchdogWithheld, Level = LogLevel.Error, Message = "Health check failed: withholding systemd watchdog pings, systemd will restart the service if it does not recover")]
    public static partial void WatchdogWithheld(ILogger logger);

    [LoggerMessage(EventId = Ids.WatchdogResumed, Level = LogLevel.Information, Message = "Health check passes again: systemd watchdog pings resumed")]
    public static partial void WatchdogResumed(ILogger logger);
}
