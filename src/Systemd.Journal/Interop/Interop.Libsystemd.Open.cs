using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libsystemd
    {
        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_open")]
        internal static unsafe partial int sd_journal_open(nint* ret, int flags);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_open_namespace", StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int sd_journal_open_namespace(nint* ret, string? nameSpace, int flags);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_open_directory", StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int sd_journal_open_directory(nint* ret, string path, int flags);

        // paths: a NULL-terminated array of NUL-terminated UTF-8 paths.
        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_open_files")]
        internal static unsafe partial int sd_journal_open_files(nint* ret, byte** paths, int flags);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_close")]
        internal static partial void sd_journal_close(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_set_data_threshold")]
        internal static partial int sd_journal_set_data_threshold(nint j, nuint sz);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_get_data_threshold")]
        internal static unsafe partial int sd_journal_get_data_threshold(nint j, nuint* sz);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_has_runtime_files")]
        internal static partial int sd_journal_has_runtime_files(nint j);

        [LibraryImport(Libraries.Libsystemd, EntryPoint = "sd_journal_has_persistent_files")]
        internal static partial int sd_journal_has_persistent_files(nint j);
    }
}
