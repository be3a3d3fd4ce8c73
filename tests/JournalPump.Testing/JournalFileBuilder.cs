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
        using var export = new MemoryStream();
        JournalExportWriter.Write(export, entries);
        return AddExport(export.ToArray(), fileName);
    }

    /// <summary>Feeds an export-format stream to systemd-journal-remote and returns the journal file's path.</summary>
    public string AddExport(byte[] export, string fileName = "test.journal")
    {
        if (!fileName.EndsWith(".journal", StringComparison.Ordinal))
        {
            throw new ArgumentException("A journal file name must end in .journal.", nameof(fileName));
        }

        string output = Path.Combine(Directory, fileName);
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
            stdin.Write(export);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"systemd-journal-remote exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}{stdout.GetAwaiter().GetResult()}");
        }

        return output;
    }

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
