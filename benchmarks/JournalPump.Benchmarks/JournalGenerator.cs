using System.Globalization;
using JournalPump.Testing;

namespace JournalPump.Benchmarks;

/// <summary>
/// Writes a journal of <see cref="TestCorpus"/> entries into a directory, split over several files, by
/// streaming the export format into systemd-journal-remote with <see cref="JournalFileBuilder.WriteJournalFile"/>.
/// Unlike a <see cref="JournalFileBuilder"/>, the directory is chosen by the caller and kept: a million
/// entries take most of a minute to build, so the benchmarks build them once and reuse them across runs
/// and across BenchmarkDotNet's processes.
/// </summary>
/// <remarks>
/// The shape (entry count, fields per entry, value sizes, binary and multi-line values) is the same on
/// every build. The bytes are not, today: <see cref="TestCorpus"/> seeds its <see cref="Random"/> with
/// <see cref="HashCode.Combine{T1, T2}"/>, which .NET randomises per process. The e2e script compares C
/// and .NET on the same files, so this does not affect the ratio.
/// </remarks>
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

    private static void WriteFile(string output, IEnumerable<ExportEntry> entries) =>
        JournalFileBuilder.WriteJournalFile(output, stdin => JournalExportWriter.Write(stdin, entries));
}
