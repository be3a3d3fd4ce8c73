using System.Diagnostics;
using System.Globalization;
using JournalPump.Testing;

namespace JournalPump.Benchmarks;

/// <summary>
/// Writes a deterministic journal of <see cref="TestCorpus"/> entries into a directory, split over
/// several files, by streaming the export format into systemd-journal-remote (the tool that
/// <see cref="JournalFileBuilder"/> drives). Unlike <see cref="JournalFileBuilder"/>, the directory is
/// chosen by the caller and kept: a million entries take minutes to build, so the benchmarks build them
/// once and reuse them across runs and across BenchmarkDotNet's processes.
/// </summary>
internal static class JournalGenerator
{
    private const string CompleteMarker = ".complete";

    /// <summary>Returns <paramref name="directory"/>, building the journal first unless a complete one with the same shape is there.</summary>
    public static string EnsureJournal(string directory, int count, int files, int seed = 1)
    {
        string marker = Path.Combine(directory, CompleteMarker);
        string shape = string.Create(CultureInfo.InvariantCulture, $"count={count} files={files} seed={seed}");
        if (File.Exists(marker) && File.ReadAllText(marker).Trim() == shape)
        {
            return directory;
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        int perFile = (count + files - 1) / files;

        // Each file holds a contiguous, time-ordered slice of the corpus, so the files do not overlap in
        // time, as rotated journal files do not. Two files at a time: systemd-journal-remote is single-threaded.
        Parallel.For(0, files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            int first = i * perFile;
            int n = Math.Min(perFile, count - first);
            if (n > 0)
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"bench-{i:D2}.journal");
                WriteFile(Path.Combine(directory, name), TestCorpus.Generate(first, n, seed));
            }
        });

        File.WriteAllText(marker, shape + "\n");
        return directory;
    }

    private static void WriteFile(string output, IEnumerable<ExportEntry> entries)
    {
        var psi = new ProcessStartInfo(JournalFileBuilder.JournalRemotePath)
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
            JournalExportWriter.Write(stdin, entries);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // Both reads have completed: the process has exited and closed its pipes.
            throw new InvalidOperationException(
                $"systemd-journal-remote exited with {process.ExitCode} for {output}: {stderr.GetAwaiter().GetResult()}{stdout.GetAwaiter().GetResult()}");
        }
    }
}
