// Latest figures (2026-11-25 18:00 UTC, default job; AMD EPYC 2.6 GHz, 2 cores, shared: load average 4.5 to 9.2
// during the run; .NET 10.0.12, BenchmarkDotNet 0.15.8, libsystemd 252; 100,000 TestCorpus entries in 4 files,
// page cache warm; per entry: OperationsPerInvoke = entries):
//
// | Method                 | Mean     | Error     | StdDev    | Median   | Ratio | RatioSD | Allocated |
// |----------------------- |---------:|----------:|----------:|---------:|------:|--------:|----------:|
// | Read                   | 1.956 us | 0.0383 us | 0.0376 us | 1.946 us |  1.00 |    0.03 |         - |
// | Load                   | 6.062 us | 0.3992 us | 1.1646 us | 5.498 us |  3.10 |    0.60 |         - |
// | LoadAndFormat          | 6.673 us | 0.1318 us | 0.2632 us | 6.633 us |  3.41 |    0.15 |         - |
// | LoadAndFormatForSender | 6.598 us | 0.1314 us | 0.2939 us | 6.551 us |  3.37 |    0.16 |         - |
//
// Entry -> JSON: 150,000 entries/s, 0 B per entry (target met). Converting (Load) costs more than reading:
// a Stopwatch split gave AddField (copy, hash, group lookup) about 1.0 us and Complete (conversions, key merge)
// about 2.3 us per entry; Format adds about 0.6 to 1.1 us.

using System.Buffers;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>
/// Entry → JSON over the 100,000-entry <see cref="JournalPump.Testing.TestCorpus"/> journal of
/// <see cref="ReaderBenchmarks"/>, from the head, once per operation, on one reused <see cref="JournalRecord"/>
/// and one reused <see cref="ArrayBufferWriter{T}"/> (reset per entry, as a sender's chunk reuses its buffer).
/// <c>OperationsPerInvoke</c> is the entry count, so Mean and Allocated are per entry. Target: 0 B per entry.
/// </summary>
[MemoryDiagnoser]
public class FormattingBenchmarks
{
    private const int EntryCount = CoreJournal.EntryCount;

    private Journal _journal = null!;
    private JournalRecord _record = null!;
    private ArrayBufferWriter<byte> _output = null!;
    private JournalJsonFormatter _plain = null!;
    private JournalJsonFormatter _sender = null!;

    [GlobalSetup]
    public void Setup()
    {
        // BenchmarkDotNet runs the setup and the benchmark on the same thread, the journal's owner.
        _journal = Journal.OpenDirectory(CoreJournal.Ensure());
        _record = new JournalRecord();

        // Large enough for the formatter's worst-case span request of every entry, so it never grows.
        _output = new ArrayBufferWriter<byte>(256 * 1024);
        _plain = new JournalJsonFormatter();

        // A sender with extra_field_values and a whitelist field_filter, as a typical Kafka or Elasticsearch sender has.
        var whitelist = new FieldFilter(new FieldFilterOptions
        {
            Type = FieldFilterType.Whitelist,
            Fields = ["MESSAGE", "PRIORITY", "SYSTEMD_UNIT", "SYSLOG_IDENTIFIER", "PID", "HOSTNAME", "timestamp", "source", "env", "cluster"],
        });
        _sender = new JournalJsonFormatter(new JournalJsonFormatterOptions
        {
            ExtraFieldValues = JsonNode.Parse("""{"source": "web-1", "env": "production", "cluster": "eu-west-1"}""")!.AsObject(),
            KeyFilter = whitelist,
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _record.Dispose();
        _journal.Dispose();
    }

    /// <summary>The reader alone (<see cref="ReaderBenchmarks.SpanPath"/>'s loop): what the other three add to.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EntryCount)]
    public long Read()
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

        CoreJournal.Check(entries);
        return bytes;
    }

    /// <summary>Reader + <see cref="JournalRecord.Load"/>: copy, convert, merge names into keys.</summary>
    [Benchmark(OperationsPerInvoke = EntryCount)]
    public long Load()
    {
        _journal.SeekHead();
        long entries = 0;
        long keys = 0;
        while (_journal.MoveNext())
        {
            entries++;
            _record.Load(_journal);
            keys += _record.Count;
        }

        CoreJournal.Check(entries);
        return keys;
    }

    /// <summary>Reader + load + <see cref="JournalJsonFormatter.Format"/> for a sender with no extra fields and no field filter.</summary>
    [Benchmark(OperationsPerInvoke = EntryCount)]
    public long LoadAndFormat() => LoadAndFormat(_plain);

    /// <summary>The same for a sender with 3 extra fields and a 10-name whitelist field filter.</summary>
    [Benchmark(OperationsPerInvoke = EntryCount)]
    public long LoadAndFormatForSender() => LoadAndFormat(_sender);

    private long LoadAndFormat(JournalJsonFormatter formatter)
    {
        _journal.SeekHead();
        long entries = 0;
        long bytes = 0;
        while (_journal.MoveNext())
        {
            entries++;
            _record.Load(_journal);
            _output.ResetWrittenCount();
            bytes += formatter.Format(_record, _output).BytesWritten;
        }

        CoreJournal.Check(entries);
        return bytes;
    }
}
