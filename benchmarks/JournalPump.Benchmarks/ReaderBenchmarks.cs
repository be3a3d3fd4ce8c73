// Latest figures (2026-11-25, AMD EPYC 2.6 GHz, 2 cores, shared and noisy; .NET 10.0.12, libsystemd 252;
// 100,000 TestCorpus entries in 4 files, 143 MB, page cache warm; per entry: OperationsPerInvoke = entries):
//
// | Method             | Mean     | Error     | StdDev    | Median   | Ratio | Gen0   | Allocated |
// |------------------- |---------:|----------:|----------:|---------:|------:|-------:|----------:|
// | SpanPath           | 2.184 us | 0.0437 us | 0.0485 us | 2.182 us |  1.00 |      - |         - |
// | SpanPathWithCursor | 2.561 us | 0.0556 us | 0.1631 us | 2.538 us |  1.17 | 0.0150 |     272 B |
// | ReadEntrySnapshot  | 3.348 us | 0.0447 us | 0.0349 us | 3.357 us |  1.53 | 0.1600 |    2786 B |
// | DirectInterop      | 2.039 us | 0.0492 us | 0.1403 us | 1.997 us |  0.93 |      - |         - |

using BenchmarkDotNet.Attributes;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>
/// Reads every field of every entry of a 100,000-entry <see cref="JournalPump.Testing.TestCorpus"/> journal
/// (2 export streams that systemd-journal-remote writes as 4 files, built once into /var/tmp). <c>OperationsPerInvoke</c> is the entry count, so Mean and
/// Allocated are per entry.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    public const int EntryCount = 100_000;
    private const int Files = 2;

    private Journal _journal = null!;
    private nint _raw;

    [GlobalSetup]
    public unsafe void Setup()
    {
        string directory = JournalGenerator.EnsureJournal("/var/tmp/journalpump-bench/reader-100000", EntryCount, Files);

        // BenchmarkDotNet runs the setup and the benchmark on the same thread, the journal's owner.
        _journal = Journal.OpenDirectory(directory);

        nint raw;
        int r = Native.sd_journal_open_directory(&raw, directory, 0);
        if (r < 0)
        {
            throw new JournalException(-r, "sd_journal_open_directory", directory);
        }

        _raw = raw;
        Throw(Native.sd_journal_set_data_threshold(_raw, 0), "sd_journal_set_data_threshold");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal.Dispose();
        Native.sd_journal_close(_raw);
    }

    /// <summary>The reader's zero-copy path: <see cref="Journal.MoveNext"/> and <see cref="Journal.EnumerateFields"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EntryCount)]
    public long SpanPath()
    {
        _journal.SeekHead();
        long entries = 0;
        long bytes = 0;
        while (_journal.MoveNext())
        {
            entries++;
            foreach (var field in _journal.EnumerateFields())
            {
                bytes += field.Name.Length + field.Value.Length;
            }
        }

        return Check(entries) + bytes;
    }

    /// <summary>The span path plus a cursor per entry, as a reader that checkpoints every entry would pay.</summary>
    [Benchmark(OperationsPerInvoke = EntryCount)]
    public long SpanPathWithCursor()
    {
        _journal.SeekHead();
        long entries = 0;
        long bytes = 0;
        while (_journal.MoveNext())
        {
            entries++;
            bytes += _journal.GetCursor().Length;
            foreach (var field in _journal.EnumerateFields())
            {
                bytes += field.Name.Length + field.Value.Length;
            }
        }

        return Check(entries) + bytes;
    }

    /// <summary>An owned <see cref="JournalEntry"/> per entry (names as strings, values copied).</summary>
    [Benchmark(OperationsPerInvoke = EntryCount)]
    public long ReadEntrySnapshot()
    {
        _journal.SeekHead();
        long entries = 0;
        long bytes = 0;
        while (_journal.MoveNext())
        {
            entries++;
            var entry = _journal.ReadEntry();
            bytes += entry.Fields.Count;
        }

        return Check(entries) + bytes;
    }

    /// <summary>
    /// The same loop straight over libsystemd with no wrapper (no thread, disposed or version checks):
    /// the floor for the span path, to tell the wrapper's cost from the cost of the P/Invoke transitions.
    /// </summary>
    [Benchmark(OperationsPerInvoke = EntryCount)]
    public unsafe long DirectInterop()
    {
        Throw(Native.sd_journal_seek_head(_raw), "sd_journal_seek_head");
        long entries = 0;
        long bytes = 0;
        int r;
        while ((r = Native.sd_journal_next(_raw)) > 0)
        {
            entries++;
            Native.sd_journal_restart_data(_raw);
            byte* data;
            nuint length;
            while ((r = Native.sd_journal_enumerate_data(_raw, &data, &length)) > 0)
            {
                bytes += (long)length;
            }

            Throw(r, "sd_journal_enumerate_data");
        }

        Throw(r, "sd_journal_next");
        return Check(entries) + bytes;
    }

    private static long Check(long entries) => entries == EntryCount
        ? entries
        : throw new InvalidOperationException($"read {entries} entries, expected {EntryCount}: OperationsPerInvoke would be wrong");

    private static void Throw(int r, string function)
    {
        if (r < 0)
        {
            throw new JournalException(-r, function);
        }
    }
}
