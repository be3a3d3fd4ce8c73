using Microsoft.Extensions.Logging;

namespace JournalPump.Core;

/// <summary>The event ids of JournalPump.Core's log messages (range 2000-2999).</summary>
public static class CoreEventIds
{
    /// <summary>A statsd datagram could not be sent.</summary>
    public const int StatsdSendFailed = 2001;
}

/// <summary>JournalPump.Core's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = CoreEventIds.StatsdSendFailed, Level = LogLevel.Information, Message = "Sending metrics to statsd at {Host}:{Port} failed: {Reason}")]
    public static partial void StatsdSendFailed(ILogger logger, string host, int port, string reason);
}
