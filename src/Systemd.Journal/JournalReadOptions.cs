namespace Systemd.Journal;

/// <summary>Options for <see cref="Journal.ReadAllAsync"/>.</summary>
public sealed class JournalReadOptions
{
    /// <summary>
    /// Keep waiting for new entries at the end of the journal (like <c>journalctl -f</c>) instead of
    /// completing. Rotation and vacuuming while following are handled. Default: <see langword="true"/>.
    /// </summary>
    public bool Follow { get; init; } = true;

    /// <summary>Take each entry's cursor into <see cref="JournalEntry.Cursor"/>. Default: <see langword="true"/>.</summary>
    public bool IncludeCursor { get; init; } = true;

    /// <summary>How many entries may wait between the reader thread and the consumer. Default: 1024.</summary>
    public int BufferCapacity { get; init; } = 1024;

    /// <summary>
    /// Called on the reader thread for damage that reading passes over: an entry that cannot be read
    /// (<see cref="JournalException.IsCorruption"/>), a file left out at open (<see cref="Journal.SkippedFiles"/>)
    /// or a file dropped after a read error (<see cref="Journal.FilesDroppedWhileReading"/>); reading goes on.
    /// When <see langword="null"/>, such an error ends the enumeration with the exception.
    /// </summary>
    public Action<JournalException>? CorruptedEntry { get; init; }

    /// <summary>
    /// How long the reader thread waits for changes before it checks for cancellation again; new
    /// entries wake it at once. Default: 250 ms.
    /// </summary>
    public TimeSpan CancellationPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
