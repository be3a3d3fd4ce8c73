using System.Runtime.InteropServices;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>libsystemd imported directly, for <see cref="ReaderBenchmarks.DirectInterop"/>: no wrapper between the loop and the calls.</summary>
internal static partial class Native
{
    [LibraryImport(Journal.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int sd_journal_open_directory(nint* ret, string path, int flags);

    [LibraryImport(Journal.LibraryName)]
    internal static partial int sd_journal_set_data_threshold(nint j, nuint sz);

    [LibraryImport(Journal.LibraryName)]
    internal static partial void sd_journal_close(nint j);

    [LibraryImport(Journal.LibraryName)]
    internal static partial int sd_journal_seek_head(nint j);

    [LibraryImport(Journal.LibraryName)]
    internal static partial int sd_journal_next(nint j);

    [LibraryImport(Journal.LibraryName)]
    internal static partial void sd_journal_restart_data(nint j);

    [LibraryImport(Journal.LibraryName)]
    internal static unsafe partial int sd_journal_enumerate_data(nint j, byte** data, nuint* length);
}
