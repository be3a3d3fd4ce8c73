// Latest figures (2026-11-25 18:14 UTC, default job, Core at 770bf2e: reader and formatting threads, positions
// written per acknowledgement; AMD EPYC 2.6 GHz, 2 cores, shared: load average 3.4 to 8.1 during the run; .NET
// 10.0.12, BenchmarkDotNet 0.15.8; 100,000 TestCorpus entries in 4 files, page cache warm; per entry:
// OperationsPerInvoke = entries):
//
// | Method          | Senders | Mean     | Error     | StdDev    | Median   | Min      | Allocated |
// |---------------- |-------- |---------:|----------:|----------:|---------:|---------:|----------:|
// | PumpToNullSinks | 1       | 6.132 us | 0.6810 us | 1.9972 us | 4.971 us | 4.278 us |      47 B |
// | PumpToNullSinks | 3       | 7.176 us | 0.1391 us | 0.1428 us | 7.164 us | 6.890 us |      40 B |
//
// 1 sender is bimodal: the pump runs 3 threads on 2 cores, so it is fast (4.3 to 5.0 us, 200,000 to 234,000
// entries/s) when the other engineers' work leaves the second core free, and about 7.5 us when it does not.
// The allocation is per run, not per entry: the same run over 20,000 entries allocates as much (3 to 3.5 MB) as
// over 100,000 (2.6 to 5 MB), and GC allocation ticks show only pooled chunk buffers (RawEntryChunk 256 KB and its
// field table, RecordChunk 64 KB to 1 MB) that ArrayPool.Shared could not supply, plus engine start-up.

using BenchmarkDotNet.Attributes;
using JournalPump.Core.Pipeline;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>
/// The whole pipeline: a <see cref="PumpEngine"/> with one reader (<see cref="JournalReaderOptions.StopAtEnd"/>)
/// reading the 100,000-entry <see cref="CoreJournal"/> from the head into <see cref="Senders"/> null sinks, per
/// operation a fresh engine from start to <see cref="PumpEngine.Completion"/>: the reader thread (read, convert,
/// format once per sender, chunk, one cursor per chunk), the bounded queues, and one sender task per sink
/// (batching, acknowledgement, checkpoint). <c>OperationsPerInvoke</c> is the entry count, so Mean and Allocated
/// are per entry; Allocated counts every thread (BenchmarkDotNet reads <c>GC.GetTotalAllocatedBytes</c>).
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int EntryCount = CoreJournal.EntryCount;

    private string _directory = null!;

    /// <summary>Senders of the reader, each with its own null sink, no extra fields and no filters.</summary>
    [Params(1, 3)]
    public int Senders { get; set; }

    [GlobalSetup]
    public void Setup() => _directory = CoreJournal.Ensure();

    [Benchmark(OperationsPerInvoke = EntryCount)]
    public async Task<long> PumpToNullSinks()
    {
        var sinks = new NullSink[Senders];
        var senders = new JournalSenderOptions[Senders];
        for (int i = 0; i < Senders; i++)
        {
            var sink = sinks[i] = new NullSink("null-" + i);
            senders[i] = new JournalSenderOptions { Name = sink.Name, Type = "NullSender", CreateSink = () => sink };
        }

        var options = new PumpOptions
        {
            Readers =
            [
                new JournalReaderOptions
                {
                    Name = "bench",
                    Open = () => Journal.OpenDirectory(_directory),
                    StopAtEnd = true,
                    Senders = senders,
                },
            ],
        };

        await using var engine = new PumpEngine(options);
        await engine.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await engine.Completion.ConfigureAwait(false);

        long bytes = 0;
        foreach (var sink in sinks)
        {
            CoreJournal.Check(sink.Records);
            bytes += sink.Bytes;
        }

        return bytes;
    }

    /// <summary>Accepts every batch and counts its records.</summary>
    private sealed class NullSink(string name) : IJournalSink
    {
        public string Name { get; } = name;

        public long Records { get; private set; }

        public long Bytes { get; private set; }

        public ValueTask<SendResult> SendAsync(JournalBatch batch, CancellationToken cancellationToken)
        {
            Records += batch.Count;
            Bytes += batch.ByteCount;
            return ValueTask.FromResult(SendResult.Delivered);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
