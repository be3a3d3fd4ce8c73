namespace JournalPump.Host.FileOutput;

/// <summary>Options of <see cref="FileSink"/> (<c>output_type: file</c>, spec 6.6).</summary>
internal sealed class FileSinkOptions
{
    /// <summary>The permissions a new file is created with, before the umask: 0644.</summary>
    public const UnixFileMode DefaultCreateMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary><c>file_output</c>: the path records are appended to. Created if missing; its directory is not.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// fsync after every batch, before acknowledging it. Off by default: each batch is written (it reaches the
    /// page cache, so it survives a crash of the daemon) and fsynced by <see cref="FileSink.FlushAsync"/>, which
    /// the daemon calls before it writes the state file and at shutdown. On, a batch survives a power loss too.
    /// </summary>
    public bool SyncEveryBatch { get; init; }

    /// <summary>The mode a new file is created with (the umask applies).</summary>
    public UnixFileMode CreateMode { get; init; } = DefaultCreateMode;
}
