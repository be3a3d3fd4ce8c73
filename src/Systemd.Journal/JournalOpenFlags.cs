namespace Systemd.Journal;

/// <summary>Flags for opening a journal (<c>SD_JOURNAL_*</c>).</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Mirrors the SD_JOURNAL_* open flags of sd_journal_open(3).")]
public enum JournalOpenFlags
{
    /// <summary>No flag: all journals of all users and the system, from persistent and runtime storage.</summary>
    None = 0,

    /// <summary><c>SD_JOURNAL_LOCAL_ONLY</c>: only journal files generated on the local machine.</summary>
    LocalOnly = 1 << 0,

    /// <summary><c>SD_JOURNAL_RUNTIME_ONLY</c>: only volatile journal files (in <c>/run</c>).</summary>
    RuntimeOnly = 1 << 1,

    /// <summary><c>SD_JOURNAL_SYSTEM</c>: only system services and the kernel.</summary>
    System = 1 << 2,

    /// <summary><c>SD_JOURNAL_CURRENT_USER</c>: only the current user's journal files.</summary>
    CurrentUser = 1 << 3,

    /// <summary><c>SD_JOURNAL_OS_ROOT</c>: with a directory, treat it as the root of an OS tree and read its <c>/var/log/journal</c> and <c>/run/log/journal</c>.</summary>
    OsRoot = 1 << 4,

    /// <summary><c>SD_JOURNAL_ALL_NAMESPACES</c>: with a namespace open, read every namespace.</summary>
    AllNamespaces = 1 << 5,

    /// <summary><c>SD_JOURNAL_INCLUDE_DEFAULT_NAMESPACE</c>: with a namespace open, also read the default namespace.</summary>
    IncludeDefaultNamespace = 1 << 6,
}
