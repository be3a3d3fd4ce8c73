using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libsystemd
    {
        // No [SuppressGCTransition] on the hot calls (next, restart_data, enumerate_data): it is for
        // functions that always return in well under a microsecond and never block, and these fault in
        // pages of the mmap'ed journal files (disk I/O on a cold cache) and decompress values of up to
        // megabytes, during which the GC could not suspend this thread. The reader already reaches about
        // 95% of a C loop's entries/s with the transitions (benchmarks/README.md): not worth that risk.
        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_next")]
        internal static partial int sd_journal_next(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_previous")]
        internal static partial int sd_journal_previous(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_next_skip")]
        internal static partial int sd_journal_next_skip(nint j, ulong skip);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_previous_skip")]
        internal static partial int sd_journal_previous_skip(nint j, ulong skip);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_seek_head")]
        internal static partial int sd_journal_seek_head(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_seek_tail")]
        internal static partial int sd_journal_seek_tail(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_seek_realtime_usec")]
        internal static partial int sd_journal_seek_realtime_usec(nint j, ulong usec);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_seek_monotonic_usec")]
        internal static partial int sd_journal_seek_monotonic_usec(nint j, SdId128 bootId, ulong usec);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_seek_cursor")]
        internal static unsafe partial int sd_journal_seek_cursor(nint j, byte* cursor);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_test_cursor")]
        internal static unsafe partial int sd_journal_test_cursor(nint j, byte* cursor);

        // The cursor is allocated with malloc(3): release it with free(3).
        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_cursor")]
        internal static unsafe partial int sd_journal_get_cursor(nint j, byte** cursor);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_realtime_usec")]
        internal static unsafe partial int sd_journal_get_realtime_usec(nint j, ulong* ret);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_monotonic_usec")]
        internal static unsafe partial int sd_journal_get_monotonic_usec(nint j, ulong* ret, SdId128* bootId);
    }
}
