namespace JournalPump.Core.Pipeline;

/// <summary>A snapshot of one reader and its senders.</summary>
public sealed record ReaderState
{
    /// <summary>The reader's name.</summary>
    public required string Name { get; init; }

    /// <summary>The cursor of the last entry read (sealed into a chunk).</summary>
    public string? ReadCursor { get; init; }

    /// <summary>Entries that produced at least one record, in this process (journalpump's <c>total_lines</c>).</summary>
    public long TotalLines { get; init; }

    /// <summary>The sum over those entries of their largest record (journalpump's <c>total_bytes</c>).</summary>
    public long TotalBytes { get; init; }

    /// <summary>Entries that could not be read (corrupted), in this process.</summary>
    public long CorruptedEntries { get; init; }

    /// <summary>
    /// Entries known to be lost because a resume cursor was no longer in the journal (vacuumed or rotated
    /// away before they were delivered); counted from sequence numbers when the file lineage is the same.
    /// </summary>
    public long LostEntries { get; init; }

    /// <summary>When the reader last read an entry, if it has.</summary>
    public DateTimeOffset? LastRead { get; init; }

    /// <summary>Search name → hits since start (journalpump's <c>searches</c> in the state file).</summary>
    public IReadOnlyDictionary<string, long> SearchHits { get; init; } = new Dictionary<string, long>();

    /// <summary>The senders.</summary>
    public required IReadOnlyList<SenderState> Senders { get; init; }
}
