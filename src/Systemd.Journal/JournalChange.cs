namespace Systemd.Journal;

/// <summary>What changed in the journal since it was last processed (<c>sd_journal_wait</c>/<c>sd_journal_process</c>).</summary>
public enum JournalChange
{
    /// <summary><c>SD_JOURNAL_NOP</c>: nothing changed, or the wait timed out.</summary>
    None = 0,

    /// <summary><c>SD_JOURNAL_APPEND</c>: entries were appended to the files already open.</summary>
    Append = 1,

    /// <summary><c>SD_JOURNAL_INVALIDATE</c>: files were added or removed (rotation, vacuum). Reading simply continues.</summary>
    Invalidate = 2,
}
