using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libsystemd
    {
        // The data pointers returned below point into libsystemd's memory (the mapped journal file
        // or its decompression buffer) and are valid only until the next call on the same handle.

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_data")]
        internal static unsafe partial int sd_journal_get_data(nint j, byte* field, byte** data, nuint* length);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_enumerate_data")]
        internal static unsafe partial int sd_journal_enumerate_data(nint j, byte** data, nuint* length);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_restart_data")]
        internal static partial void sd_journal_restart_data(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_add_match")]
        internal static unsafe partial int sd_journal_add_match(nint j, byte* data, nuint size);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_add_disjunction")]
        internal static partial int sd_journal_add_disjunction(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_add_conjunction")]
        internal static partial int sd_journal_add_conjunction(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_flush_matches")]
        internal static partial void sd_journal_flush_matches(nint j);
    }
}
