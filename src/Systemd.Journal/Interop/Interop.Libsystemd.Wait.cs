using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libsystemd
    {
        internal const int SD_JOURNAL_NOP = 0;
        internal const int SD_JOURNAL_APPEND = 1;
        internal const int SD_JOURNAL_INVALIDATE = 2;

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_fd")]
        internal static partial int sd_journal_get_fd(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_events")]
        internal static partial int sd_journal_get_events(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_process")]
        internal static partial int sd_journal_process(nint j);

        // timeoutUsec: ulong.MaxValue waits without a time limit.
        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_wait")]
        internal static partial int sd_journal_wait(nint j, ulong timeoutUsec);
    }
}
