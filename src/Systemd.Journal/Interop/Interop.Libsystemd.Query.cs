using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libsystemd
    {
        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_query_unique")]
        internal static unsafe partial int sd_journal_query_unique(nint j, byte* field);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_enumerate_unique")]
        internal static unsafe partial int sd_journal_enumerate_unique(nint j, byte** data, nuint* length);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_restart_unique")]
        internal static partial void sd_journal_restart_unique(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_enumerate_fields")]
        internal static unsafe partial int sd_journal_enumerate_fields(nint j, byte** field);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_restart_fields")]
        internal static partial void sd_journal_restart_fields(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_usage")]
        internal static unsafe partial int sd_journal_get_usage(nint j, ulong* bytes);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_cutoff_realtime_usec")]
        internal static unsafe partial int sd_journal_get_cutoff_realtime_usec(nint j, ulong* from, ulong* to);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_cutoff_monotonic_usec")]
        internal static unsafe partial int sd_journal_get_cutoff_monotonic_usec(nint j, SdId128 bootId, ulong* from, ulong* to);
    }
}
