namespace JournalPump.Core.Pipeline;

/// <summary>A sender's connection state, as the state file and <c>journal.status</c> report it.</summary>
public enum SenderStatus
{
    /// <summary>Running, last send succeeded.</summary>
    Connected,

    /// <summary>Running, last send failed.</summary>
    Disconnected,

    /// <summary>Stopped, last send succeeded.</summary>
    Stale,

    /// <summary>Stopped, last send failed (or never sent).</summary>
    Stopped,
}

/// <summary>A snapshot of one sender's progress: what it has queued, what it has delivered and where its checkpoint is.</summary>
public sealed record SenderState
{
    /// <summary>The sender's name.</summary>
    public required string Name { get; init; }

    /// <summary>The sender's type as journalpump names it (<c>FileSender</c>, <c>KafkaSender</c>...).</summary>
    public required string Type { get; init; }

    /// <summary>The checkpoint: the cursor of the last entry whose records were all delivered (or rejected for good).</summary>
    public string? SentCursor { get; init; }

    /// <summary>Records delivered in this process.</summary>
    public long SentCount { get; init; }

    /// <summary>Record bytes delivered in this process.</summary>
    public long SentBytes { get; init; }

    /// <summary>Records rejected for good by the peer in this process (dropped with a log line and a metric).</summary>
    public long RejectedCount { get; init; }

    /// <summary>Records queued or in flight.</summary>
    public long CurrentQueue { get; init; }

    /// <summary>The cursor of the last chunk queued.</summary>
    public string? BufferCursor { get; init; }

    /// <summary>Records ever queued in this process.</summary>
    public long EntryNum { get; init; }

    /// <summary>Record bytes ever queued in this process.</summary>
    public long TotalSize { get; init; }

    /// <summary>Connection state.</summary>
    public SenderStatus Status { get; init; }

    /// <summary>Seconds since the connected flag last changed.</summary>
    public double Elapsed { get; init; }

    /// <summary>Up to 8 distinct recent error messages (cleared when the sender connects again).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>When the last send round ended, if any.</summary>
    public DateTimeOffset? LastSent { get; init; }
}
