using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using Systemd.Journal;

namespace JournalPump.Core.Pipeline;

/// <summary>Where a reader starts when a sender has no checkpoint (journalpump's <c>initial_position</c>).</summary>
public readonly record struct InitialPosition
{
    private InitialPosition(InitialPositionKind kind, long seconds)
    {
        Kind = kind;
        BootSeconds = seconds;
    }

    /// <summary>Which kind of position.</summary>
    public InitialPositionKind Kind { get; }

    /// <summary>For <see cref="InitialPositionKind.BootSeconds"/>: seconds after the current boot started.</summary>
    public long BootSeconds { get; }

    /// <summary>The first entry in the journal.</summary>
    public static InitialPosition Head => new(InitialPositionKind.Head, 0);

    /// <summary>Only entries written after the reader starts.</summary>
    public static InitialPosition Tail => new(InitialPositionKind.Tail, 0);

    /// <summary>The first entry of the current boot at or after <paramref name="seconds"/> of monotonic time.</summary>
    /// <param name="seconds">Seconds since the boot started.</param>
    /// <returns>The position.</returns>
    public static InitialPosition FromBootSeconds(long seconds) => new(InitialPositionKind.BootSeconds, seconds);
}

/// <summary>The kinds of <see cref="InitialPosition"/>.</summary>
public enum InitialPositionKind
{
    /// <summary>The first entry.</summary>
    Head,

    /// <summary>After the last entry.</summary>
    Tail,

    /// <summary>A monotonic time in the current boot.</summary>
    BootSeconds,
}

/// <summary>
/// Decides, per entry, whether the reader forwards it at all (searches, match filters, redaction run here).
/// <see cref="Filtering.EntryFilterChain"/> is journalpump's chain.
/// </summary>
public interface IEntryFilter
{
    /// <summary>Runs on the reader thread for each entry; may rewrite the record (redaction).</summary>
    /// <param name="record">The converted entry.</param>
    /// <returns><see langword="false"/> to drop the entry for every sender.</returns>
    bool Accept(JournalRecord record);

    /// <summary>Called with the pump's periodic gauges (every 10 s by default), from another thread.</summary>
    void EmitPeriodicMetrics()
    {
    }

    /// <summary>Search name → hits since start, for the state file; read from another thread.</summary>
    /// <returns>The hit counts.</returns>
    IReadOnlyDictionary<string, long> GetSearchHits() => new Dictionary<string, long>();
}

/// <summary>One sender of a reader: a sink and how records are made and delivered for it.</summary>
public sealed class JournalSenderOptions
{
    /// <summary>The sender's name (a key of <c>readers.&lt;r&gt;.senders</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The sender's type as journalpump's state file names it (<c>FileSender</c>, <c>KafkaSender</c>...).</summary>
    public required string Type { get; init; }

    /// <summary>Creates the sink; called once when the pump starts.</summary>
    public required Func<IJournalSink> CreateSink { get; init; }

    /// <summary>Extra fields and key filter for this sender's records.</summary>
    public JournalJsonFormatterOptions? Formatter { get; init; }

    /// <summary>Per-sender entry filter (unit log levels); <see langword="null"/> accepts everything.</summary>
    public Func<JournalRecord, bool>? Accept { get; init; }

    /// <summary>Batching and retries.</summary>
    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary>
    /// The sender's checkpoint from an earlier run: the cursor of the last entry it delivered. The reader
    /// resumes this sender right after it. <see langword="null"/>: the sender has never delivered anything
    /// and starts at the reader's <see cref="JournalReaderOptions.InitialPosition"/>.
    /// </summary>
    public string? ResumeCursor { get; init; }
}

/// <summary>One reader: a journal, the filters every entry passes, and its senders.</summary>
public sealed class JournalReaderOptions
{
    /// <summary>The reader's name (a key of <c>readers</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Opens the journal; runs on the reader's own thread, which then owns it.</summary>
    public required Func<Journal> Open { get; init; }

    /// <summary>Where senders without a checkpoint start.</summary>
    public InitialPosition InitialPosition { get; init; } = InitialPosition.Head;

    /// <summary>Only entries whose <c>_SYSTEMD_UNIT</c> is one of these (journalpump's <c>units_to_match</c>); empty for all.</summary>
    public IReadOnlyList<string> UnitsToMatch { get; init; } = [];

    /// <summary>Searches, match filters and redaction, applied once per entry before any sender sees it.</summary>
    public IEntryFilter? EntryFilter { get; init; }

    /// <summary>The senders.</summary>
    public IReadOnlyList<JournalSenderOptions> Senders { get; init; } = [];

    /// <summary>Per-sender limit of records queued or in flight (journalpump's <c>msg_buffer_max_length</c>).</summary>
    public long MaxBufferRecords { get; init; } = 50_000;

    /// <summary>Per-sender limit of record bytes queued or in flight (journalpump's <c>msg_buffer_max_bytes</c>); 0 for none.</summary>
    public long MaxBufferBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>At most this many entries per chunk: one cursor is taken per chunk.</summary>
    public int ChunkEntries { get; init; } = 1000;

    /// <summary>A chunk is sealed once a sender's records in it reach this many bytes.</summary>
    public int ChunkBytes { get; init; } = 512 * 1024;

    /// <summary>How long to wait before trying again to open a journal that does not exist yet (journalpump: 2 s).</summary>
    public TimeSpan OpenRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// While following, how long the reader waits for a change notification before it looks for new entries
    /// anyway. journald notifies readers at most every 250 ms; entries are readable as soon as written.
    /// </summary>
    public TimeSpan FollowPollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Stop at the end of the journal instead of following it (one-shot export, tests, benchmarks).</summary>
    public bool StopAtEnd { get; init; }

    /// <summary>Pump-level metric tags (journalpump's top-level <c>tags</c>), in config order.</summary>
    public IReadOnlyList<MetricTag> Tags { get; init; } = [];
}

/// <summary>Everything a pump runs.</summary>
public sealed class PumpOptions
{
    /// <summary>The readers.</summary>
    public IReadOnlyList<JournalReaderOptions> Readers { get; init; } = [];

    /// <summary>How long senders may keep delivering what they hold after a stop is requested.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Called whenever a sender's checkpoint moved (after its sink acknowledged data), on the sender's task:
    /// persist <see cref="PumpEngine.GetState"/> from here to keep what a crash re-sends to one batch. Must
    /// not block; coalesce.
    /// </summary>
    public Action? CheckpointAdvanced { get; init; }

    /// <summary>How often the periodic gauges (<c>journal.read_lines</c>, <c>journal.status</c>...) are emitted.</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(10);
}
