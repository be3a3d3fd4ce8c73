using System.Diagnostics;

namespace JournalPump.Testing;

/// <summary>
/// Builds real journal files with <c>systemd-journal-remote</c> from export-format streams, in a fresh
/// directory under <c>/var/tmp</c> that is deleted on dispose.
/// </summary>
public sealed class JournalFileBuilder : IDisposable
{
    private static readonly string[] JournalRemoteCandidates =
    [
        "/lib/systemd/systemd-journal-remote",
        "/usr/lib/systemd/systemd-journal-remote",
    ];

    /// <summary>Creates an empty directory for the journal files.</summary>
    public JournalFileBuilder(string? name = null)
    {
        // Under /var/tmp, not /tmp: libsystemd classifies files by path prefix, and some consumers
        // (journalpump among them) read only "persistent or runtime" files.
        Directory = Path.Combine("/var/tmp", "journalpump-tests", (name ?? "journal") + "-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The directory holding the journal files.</summary>
    public string Directory { get; }

    /// <summary>The systemd-journal-remote binary.</summary>
    public static string JournalRemotePath =>
        JournalRemoteCandidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("systemd-journal-remote is not installed (Debian package systemd-journal-remote).");

    /// <summary>Writes the entries into the journal file <paramref name="fileName"/> (appending when it exists) and returns its path.</summary>
    public string Add(IEnumerable<ExportEntry> entries, string fileName = "test.journal")
    {
        string output = OutputPath(fileName);
        WriteJournalFile(output, stdin => JournalExportWriter.Write(stdin, entries));
        return output;
    }

    /// <summary>Feeds an export-format stream to systemd-journal-remote and returns the journal file's path.</summary>
    public string AddExport(byte[] export, string fileName = "test.journal")
    {
        string output = OutputPath(fileName);
        WriteJournalFile(output, stdin => stdin.Write(export));
        return output;
    }

    /// <summary>
    /// Streams an export-format stream, written by <paramref name="writeExport"/>, into
    /// systemd-journal-remote, which writes (or appends to) the journal file <paramref name="output"/>.
    /// </summary>
    public static void WriteJournalFile(string output, Action<Stream> writeExport)
    {
        ArgumentNullException.ThrowIfNull(writeExport);
        if (!output.EndsWith(".journal", StringComparison.Ordinal))
        {
            throw new ArgumentException("A journal file name must end in .journal.", nameof(output));
        }

        var psi = new ProcessStartInfo(JournalRemotePath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--split-mode=none");
        psi.ArgumentList.Add("--output=" + output);
        psi.ArgumentList.Add("-");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start systemd-journal-remote");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using (var stdin = process.StandardInput.BaseStream)
        {
            writeExport(stdin);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // Both reads have completed: the process has exited and closed its pipes.
            throw new InvalidOperationException($"systemd-journal-remote exited with {process.ExitCode} for {output}: {stderr.GetAwaiter().GetResult()}{stdout.GetAwaiter().GetResult()}");
        }
    }

    private string OutputPath(string fileName) => fileName.Contains('/', StringComparison.Ordinal)
        ? throw new ArgumentException("A file name, not a path.", nameof(fileName))
        : Path.Combine(Directory, fileName);

    /// <summary>Builds the journal of an export file (for example a golden case's input.export).</summary>
    public string AddExportFile(string exportPath, string fileName = "test.journal") => AddExport(File.ReadAllBytes(exportPath), fileName);

    /// <summary>Deletes the directory.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
