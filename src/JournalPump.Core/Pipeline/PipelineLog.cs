using Microsoft.Extensions.Logging;

namespace JournalPump.Core;

/// <summary>The event ids of the delivery pipeline's log messages (2400-2599 of JournalPump.Core's range).</summary>
public static class PipelineEventIds
{
    /// <summary>A sink threw instead of returning a result; the batch is retried.</summary>
    public const int SinkThrew = 2400;

    /// <summary>A batch was delivered (debug).</summary>
    public const int BatchDelivered = 2401;

    /// <summary>The peer rejected records for good; they are dropped.</summary>
    public const int RecordsRejected = 2402;

    /// <summary>A send failed and will be retried after a backoff.</summary>
    public const int SendFailed = 2403;

    /// <summary>A journal file could not be opened and is left out.</summary>
    public const int JournalFileSkipped = 2404;

    /// <summary>A reader stopped because of an error.</summary>
    public const int ReaderFailed = 2405;

    /// <summary>An entry's record is longer than journalpump's limit and was replaced by the error stub.</summary>
    public const int EntryTooLarge = 2406;

    /// <summary>A sender's resume cursor was passed without being found.</summary>
    public const int ResumeCursorMissing = 2407;

    /// <summary>An entry could not be read (corrupted) and was skipped.</summary>
    public const int CorruptedEntry = 2408;

    /// <summary>A resume cursor is malformed; the sender starts at the initial position.</summary>
    public const int ResumeCursorMalformed = 2409;

    /// <summary>The resume cursor's entry is no longer in the journal.</summary>
    public const int ResumeCursorGone = 2410;

    /// <summary>A sender did not finish within the shutdown grace period.</summary>
    public const int ShutdownTimedOut = 2411;

    /// <summary>The journal does not exist yet; opening is retried.</summary>
    public const int JournalNotFound = 2412;

    /// <summary>A pump run by the hosted service failed; the host is stopped.</summary>
    public const int PumpFailed = 2413;

    /// <summary>An entry could not be made into a record (an unexpected error); it is skipped.</summary>
    public const int EntryFailed = 2414;
}

internal static partial class Log
{
    [LoggerMessage(EventId = PipelineEventIds.SinkThrew, Level = LogLevel.Warning, Message = "Sender {Reader}/{Sender} failed with {ExceptionType}; the batch will be retried")]
    public static partial void SinkThrew(ILogger logger, Exception exception, string reader, string sender, string exceptionType);

    [LoggerMessage(EventId = PipelineEventIds.BatchDelivered, Level = LogLevel.Debug, Message = "Sender {Reader}/{Sender} delivered {Count} records ({Bytes} bytes)")]
    public static partial void BatchDelivered(ILogger logger, string reader, string sender, int count, long bytes);

    [LoggerMessage(EventId = PipelineEventIds.RecordsRejected, Level = LogLevel.Warning, Message = "Sender {Reader}/{Sender}: the peer rejected {Count} records for good, they are dropped: {Reason}")]
    public static partial void RecordsRejected(ILogger logger, string reader, string sender, int count, string reason);

    [LoggerMessage(EventId = PipelineEventIds.SendFailed, Level = LogLevel.Warning, Message = "Sender {Reader}/{Sender} could not deliver {Count} records: {Reason}; attempt {Attempt}, retrying in {DelaySeconds:F1} s")]
    public static partial void SendFailed(ILogger logger, string reader, string sender, int count, string reason, int attempt, double delaySeconds);

    [LoggerMessage(EventId = PipelineEventIds.JournalFileSkipped, Level = LogLevel.Warning, Message = "Reader {Reader}: journal file {Path} cannot be read and is left out: {Reason}")]
    public static partial void JournalFileSkipped(ILogger logger, string reader, string path, string reason);

    [LoggerMessage(EventId = PipelineEventIds.ReaderFailed, Level = LogLevel.Error, Message = "Reader {Reader} stopped")]
    public static partial void ReaderFailed(ILogger logger, Exception exception, string reader);

    [LoggerMessage(EventId = PipelineEventIds.EntryTooLarge, Level = LogLevel.Warning, Message = "Reader {Reader}: an entry's record is longer than {Limit} bytes and was replaced by an error record")]
    public static partial void EntryTooLarge(ILogger logger, string reader, int limit);

    [LoggerMessage(EventId = PipelineEventIds.ResumeCursorMissing, Level = LogLevel.Warning, Message = "Reader {Reader}: the checkpoint of sender {Sender} is no longer in the journal; it resumes at the oldest entry after it")]
    public static partial void ResumeCursorMissing(ILogger logger, string reader, string sender);

    [LoggerMessage(EventId = PipelineEventIds.CorruptedEntry, Level = LogLevel.Warning, Message = "Reader {Reader}: skipped a corrupted journal entry: {Reason}")]
    public static partial void CorruptedEntry(ILogger logger, string reader, string reason);

    [LoggerMessage(EventId = PipelineEventIds.ResumeCursorMalformed, Level = LogLevel.Error, Message = "Reader {Reader}: the checkpoint of sender {Sender} is not a valid journal cursor; it starts at the initial position")]
    public static partial void ResumeCursorMalformed(ILogger logger, string reader, string sender);

    [LoggerMessage(EventId = PipelineEventIds.ResumeCursorGone, Level = LogLevel.Warning, Message = "Reader {Reader}: the resume position is no longer in the journal (vacuumed or rotated away); resuming at the oldest entry after it; entries lost: {Lost} (-1: unknown)")]
    public static partial void ResumeCursorGone(ILogger logger, string reader, long lost);

    [LoggerMessage(EventId = PipelineEventIds.EntryFailed, Level = LogLevel.Error, Message = "Reader {Reader}: an entry could not be made into a record and is skipped")]
    public static partial void EntryFailed(ILogger logger, Exception exception, string reader);

    [LoggerMessage(EventId = PipelineEventIds.PumpFailed, Level = LogLevel.Critical, Message = "The journal pump failed; stopping the application")]
    public static partial void PumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = PipelineEventIds.JournalNotFound, Level = LogLevel.Warning, Message = "Reader {Reader}: the journal cannot be opened yet ({Reason}); trying again in {Seconds} s")]
    public static partial void JournalNotFound(ILogger logger, string reader, string reason, double seconds);

    [LoggerMessage(EventId = PipelineEventIds.ShutdownTimedOut, Level = LogLevel.Warning, Message = "Sender {Reader}/{Sender} did not deliver all it held within the shutdown grace period; the rest is sent after the next start")]
    public static partial void ShutdownTimedOut(ILogger logger, string reader, string sender);
}
