namespace JournalPump.Core.Checkpoints;

/// <summary>The positions read back from a state file: per reader, its read cursor and each sender's sent cursor.</summary>
public sealed class PumpCheckpoint
{
    /// <summary>An empty checkpoint: every sender starts at its reader's initial position.</summary>
    public static PumpCheckpoint Empty { get; } = new(new Dictionary<string, ReaderCheckpoint>(StringComparer.Ordinal));

    /// <summary>Creates a checkpoint.</summary>
    /// <param name="readers">Reader name → positions.</param>
    public PumpCheckpoint(IReadOnlyDictionary<string, ReaderCheckpoint> readers) => Readers = readers;

    /// <summary>Reader name → positions.</summary>
    public IReadOnlyDictionary<string, ReaderCheckpoint> Readers { get; }

    /// <summary>The sent cursor of a sender, or <see langword="null"/> when there is none.</summary>
    /// <param name="reader">The reader name.</param>
    /// <param name="sender">The sender name.</param>
    /// <returns>The cursor.</returns>
    public string? SentCursor(string reader, string sender) =>
        Readers.TryGetValue(reader, out var r) && r.SentCursors.TryGetValue(sender, out var c) ? c : null;
}

/// <summary>One reader's positions in a state file.</summary>
/// <param name="ReadCursor">The cursor of the last entry the reader read (<c>readers.&lt;r&gt;.cursor</c>).</param>
/// <param name="SentCursors">Sender name → the cursor of its last delivered entry (<c>senders.&lt;s&gt;.sent.cursor</c>), null when none.</param>
public sealed record ReaderCheckpoint(string? ReadCursor, IReadOnlyDictionary<string, string?> SentCursors);
