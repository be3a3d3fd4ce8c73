using System.Text;
using static Interop.Libsystemd;

namespace Systemd.Journal;

/// <summary>A journal file that the reader could not read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Error">Why: the errno and the call that failed.</param>
public sealed record JournalFileError(string Path, JournalException Error);

// libsystemd never fails a read because of one damaged file: a file it cannot open is left out of a
// directory, and a file that fails in the middle of iteration is dropped from the set and reading goes
// on with the others, with nothing reported to the caller. This part makes both visible.
public sealed partial class Journal
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    private IReadOnlyList<JournalFileError> _skippedFiles = [];
    private long _knownUsage = -1;
    private int _filesDroppedWhileReading;

    /// <summary>
    /// Files that <see cref="OpenDirectory"/> or <see cref="OpenFiles"/> found but libsystemd cannot read
    /// (truncated, not a journal, unsupported format); they are left out and the rest is read.
    /// Always empty for <see cref="Open"/> and <see cref="OpenNamespace"/>.
    /// </summary>
    public IReadOnlyList<JournalFileError> SkippedFiles => _skippedFiles;

    /// <summary>
    /// How many times reading noticed that libsystemd dropped an open file after a read error in it
    /// (corruption): the entries after the damage in that file are not returned. Checked when
    /// <see cref="MoveNext"/> reaches the end of the journal.
    /// </summary>
    public int FilesDroppedWhileReading => _filesDroppedWhileReading;

    /// <summary>The journal files that <c>sd_journal_open_directory</c> considers in a directory.</summary>
    internal static IEnumerable<string> JournalFilesIn(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
        {
            string name = System.IO.Path.GetFileName(entry);
            if (File.Exists(entry) && (name.EndsWith(".journal", StringComparison.Ordinal) || name.EndsWith(".journal~", StringComparison.Ordinal)))
            {
                yield return entry;
            }
            else if (Directory.Exists(entry) && IsMachineIdDirectory(name))
            {
                foreach (string file in JournalFilesIn(entry))
                {
                    yield return file;
                }
            }
        }
    }

    private static bool IsMachineIdDirectory(string name)
    {
        // "<32 hex digits>" or "<32 hex digits>.<namespace>"
        return name.Length >= 32 && !name.AsSpan(0, 32).ContainsAnyExcept(HexDigits) && (name.Length == 32 || name[32] == '.');
    }

    /// <summary>Opens each file alone and returns those libsystemd refuses.</summary>
    internal static unsafe List<JournalFileError> FindUnreadableFiles(IEnumerable<string> files)
    {
        var errors = new List<JournalFileError>();
        byte** array = stackalloc byte*[2];
        foreach (string file in files)
        {
            byte[] path = Encoding.UTF8.GetBytes(file + "\0");
            fixed (byte* p = path)
            {
                array[0] = p;
                array[1] = null;
                nint j;
                int r = sd_journal_open_files(&j, array, 0);
                if (r < 0)
                {
                    errors.Add(new JournalFileError(file, new JournalException(-r, "sd_journal_open_files", file)));
                }
                else
                {
                    sd_journal_close(j);
                }
            }
        }

        return errors;
    }

    private void SetSkippedFiles(List<JournalFileError> errors) => _skippedFiles = errors;

    /// <summary>Records the files' disk usage at a point where no file was dropped for an error.</summary>
    private unsafe void RememberUsage()
    {
        ulong bytes;
        _knownUsage = sd_journal_get_usage(_j, &bytes) < 0 ? -1 : (long)bytes;
    }

    /// <summary>
    /// At the end of the journal: files only leave the open set on change notifications (handled by
    /// <see cref="Wait"/> and <see cref="Process"/>) or when libsystemd drops one after a read error, so
    /// disk usage that shrank in between means a damaged file was dropped.
    /// </summary>
    private unsafe void CheckForDroppedFiles()
    {
        ulong bytes;
        if (sd_journal_get_usage(_j, &bytes) < 0)
        {
            return;
        }

        if (_knownUsage >= 0 && (long)bytes < _knownUsage)
        {
            _filesDroppedWhileReading++;
        }

        _knownUsage = (long)bytes;
    }
}
