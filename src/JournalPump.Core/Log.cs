using Microsoft.Extensions.Logging;

namespace JournalPump.Core;

/// <summary>The event ids of JournalPump.Core's log messages (range 2000-2999).</summary>
public static class CoreEventIds
{
    /// <summary>A statsd datagram could not be sent.</summary>
    public const int StatsdSendFailed = 2001;

    /// <summary>A search regex evaluation took longer than <c>threshold_for_metric_emit</c>.</summary>
    public const int SearchRegexSlow = 2100;

    /// <summary>A search regex evaluation hit the match timeout; the field counted as not matching.</summary>
    public const int SearchRegexTimedOut = 2101;

    /// <summary>A secret filter hit the match timeout; the whole MESSAGE was replaced so nothing leaks.</summary>
    public const int SecretFilterTimedOut = 2102;

    /// <summary>An <c>ip_to_geohash()</c> search tag could not be computed; the tag is empty.</summary>
    public const int GeoHashFailed = 2103;
}

/// <summary>JournalPump.Core's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = CoreEventIds.StatsdSendFailed, Level = LogLevel.Information, Message = "Sending metrics to statsd at {Host}:{Port} failed: {Reason}")]
    public static partial void StatsdSendFailed(ILogger logger, string host, int port, string reason);

    [LoggerMessage(EventId = CoreEventIds.SearchRegexSlow, Level = LogLevel.Information, Message = "Search {Search}: regex '{Pattern}' on field {Field} took {Seconds} s, more than threshold_for_metric_emit ({Threshold} s)")]
    public static partial void SearchRegexSlow(ILogger logger, string search, string pattern, string field, double seconds, double threshold);

    [LoggerMessage(EventId = CoreEventIds.SearchRegexTimedOut, Level = LogLevel.Warning, Message = "Search {Search}: regex '{Pattern}' on field {Field} gave up after the match timeout ({Timeout}); the field counts as not matching")]
    public static partial void SearchRegexTimedOut(ILogger logger, string search, string pattern, string field, TimeSpan timeout);

    [LoggerMessage(EventId = CoreEventIds.SecretFilterTimedOut, Level = LogLevel.Warning, Message = "Secret filter '{Pattern}' gave up after the match timeout ({Timeout}); the whole MESSAGE was replaced")]
    public static partial void SecretFilterTimedOut(ILogger logger, string pattern, TimeSpan timeout);

    [LoggerMessage(EventId = CoreEventIds.GeoHashFailed, Level = LogLevel.Debug, Message = "Search {Search}: ip_to_geohash found no location for captured tag {Tag}; the tag is empty")]
    public static partial void GeoHashFailed(ILogger logger, string search, string tag);
}
