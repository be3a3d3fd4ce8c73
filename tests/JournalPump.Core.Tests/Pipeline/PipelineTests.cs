using System.Text.Json;
using System.Threading.Channels;
using JournalPump.Core.Pipeline;
using JournalPump.Testing;
using Microsoft.Extensions.Time.Testing;
using Systemd.Journal;

namespace JournalPump.Core.Tests.Pipeline;

[Category("Integration")]
public sealed class PipelineTests
{
    private const int Entries = 3000;

    private static JournalFileBuilder _journal = null!;
    private static List<string> _expected = null!;
    private static string _lastCursor = null!;

    [OneTimeSetUp]
    public static async Task BuildJournal()
    {
        _journal = new JournalFileBuilder("pipeline");
        _journal.Add(TestCorpus.Generate(0, Entries));
        using (var journal = Journal.OpenDirectory(_journal.Directory))
        {
            journal.SeekTail();
            journal.MovePrevious();
            _lastCursor = journal.GetCursor();
        }

        // What a sink that never fails receives: the reference for every other run.
        var sink = new ScriptedSink("reference");
        await RunToEnd(Reader(sink));
        _expected = [.. sink.Accepted];
    }

    [OneTimeTearDown]
    public static void DeleteJournal() => _journal.Dispose();

    [Test]
    [CancelAfter(60_000)]
    public void Every_entry_reaches_a_healthy_sink_once_in_order()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_expected, Has.Count.EqualTo(Entries));
            Assert.That(_expected.Select(Seq), Is.EqualTo(Enumerable.Range(0, Entries).Select(i => (long)i)));
            Assert.That(_expected, Is.Unique);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_sink_that_fails_then_succeeds_loses_and_duplicates_nothing(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var failures = Channel.CreateUnbounded<int>();
        var sink = new ScriptedSink("flaky", (call, _, _) =>
        {
            if (call is 0 or 1 or 2 or 5)
            {
                failures.Writer.TryWrite(call);
                return ValueTask.FromResult(call == 2 ? throw new IOException("connection reset") : SendResult.Transient("broker unavailable"));
            }

            return ValueTask.FromResult(SendResult.Delivered);
        });

        var options = Reader(sink, delivery: new DeliveryOptions { MaxBatchBytes = 64 * 1024 });
        await using var engine = new PumpEngine(new PumpOptions { Readers = [options] }, timeProvider: time);
        await engine.StartAsync(cancellationToken);

        // Each failure waits for a backoff on the fake clock: move the clock on once the failure is seen.
        for (int i = 0; i < 4; i++)
        {
            int failed = await failures.Reader.ReadAsync(cancellationToken);
            await AdvanceUntilRetried(sink, failed, time, cancellationToken);
        }

        await engine.Completion.WaitAsync(cancellationToken);
        var state = engine.GetState()[0].Senders[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Accepted, Is.EqualTo(_expected));
            Assert.That(state.SentCount, Is.EqualTo(Entries));
            Assert.That(state.SentCursor, Is.EqualTo(_lastCursor));
            Assert.That(state.Status, Is.EqualTo(SenderStatus.Connected));
            Assert.That(state.CurrentQueue, Is.Zero);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_full_queue_sends_at_once_instead_of_lingering(CancellationToken cancellationToken)
    {
        // A batch may hold more than the queue: lingering for more records would wait for records that cannot come.
        var sizes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var sink = new ScriptedSink("lingering", (_, batch, _) =>
        {
            sizes.Enqueue(batch.Count);
            return ValueTask.FromResult(SendResult.Delivered);
        });
        var options = Reader(sink, maxBufferRecords: 200, chunkEntries: 50, delivery: new DeliveryOptions { Linger = TimeSpan.FromHours(1), MaxBatchBytes = long.MaxValue });
        var states = await RunToEnd(options, cancellationToken: cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Accepted, Is.EqualTo(_expected));
            Assert.That(sizes, Is.All.LessThanOrEqualTo(200));
            Assert.That(states[0].Senders[0].SentCount, Is.EqualTo(Entries));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_slow_sink_holds_the_reader_back_within_the_buffer_limits(CancellationToken cancellationToken)
    {
        const int maxRecords = 200;
        const int chunkEntries = 50;
        var gate = Channel.CreateUnbounded<bool>();
        PumpEngine? engine = null;
        var observed = new List<(long Queued, long Read, long Sent)>();
        var sink = new ScriptedSink("slow", async (_, batch, ct) =>
        {
            await gate.Reader.ReadAsync(ct);
            var reader = engine!.GetState()[0];
            observed.Add((reader.Senders[0].CurrentQueue, reader.TotalLines, reader.Senders[0].SentCount));
            return SendResult.Delivered;
        });

        var options = Reader(sink, maxBufferRecords: maxRecords, chunkEntries: chunkEntries, delivery: new DeliveryOptions { MaxBatchRecords = 25 });
        engine = new PumpEngine(new PumpOptions { Readers = [options] });
        await using (engine)
        {
            await engine.StartAsync(cancellationToken);
            while (true)
            {
                var call = sink.Calls.Reader.ReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(call, engine.Completion) != call)
                {
                    break;
                }

                gate.Writer.TryWrite(true);
            }

            await engine.Completion.WaitAsync(cancellationToken);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Accepted, Is.EqualTo(_expected));
            Assert.That(observed, Has.Count.GreaterThan(Entries / 25 - 1));
            // Queued-or-in-flight never passes the limit by more than one chunk, and the reader never
            // gets further ahead of the sink than that.
            Assert.That(observed.Select(o => o.Queued), Has.All.LessThanOrEqualTo(maxRecords + chunkEntries));
            Assert.That(observed.Select(o => o.Read - o.Sent), Has.All.LessThanOrEqualTo(maxRecords + (2 * chunkEntries)));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Two_sinks_at_different_speeds_keep_their_own_positions_across_a_restart(CancellationToken cancellationToken)
    {
        var fast = new ScriptedSink("fast");
        var slowGate = Channel.CreateUnbounded<bool>();
        var slow = new ScriptedSink("slow", async (call, _, ct) =>
        {
            if (call >= 3)
            {
                await slowGate.Reader.ReadAsync(ct); // stuck until the pump stops
            }

            return SendResult.Delivered;
        });

        var first = Reader([fast, slow], delivery: new DeliveryOptions { MaxBatchRecords = 100 });
        IReadOnlyList<SenderState> stopped;
        await using (var engine = new PumpEngine(new PumpOptions { Readers = [first] }))
        {
            await engine.StartAsync(cancellationToken);
            await fast.WaitForAcceptedAsync(Entries, cancellationToken);
            while (await slow.Calls.Reader.ReadAsync(cancellationToken) < 3)
            {
            }

            await engine.StopAsync(new CancellationToken(canceled: true)); // no grace: the slow batch is abandoned
            stopped = engine.GetState()[0].Senders;
        }

        Assert.That(stopped[0].SentCursor, Is.EqualTo(_lastCursor));
        Assert.That(stopped[1].SentCount, Is.EqualTo(300));
        Assert.That(stopped[1].SentCursor, Is.Not.EqualTo(_lastCursor));

        var fastAgain = new ScriptedSink("fast");
        var slowAgain = new ScriptedSink("slow");
        var second = Reader([fastAgain, slowAgain], resume: [stopped[0].SentCursor, stopped[1].SentCursor]);
        await RunToEnd(second, cancellationToken: cancellationToken);

        var slowAll = slow.Accepted.Concat(slowAgain.Accepted).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fastAgain.Accepted, Is.Empty, "the fast sender resends nothing");
            Assert.That(slowAll.Distinct(), Is.EquivalentTo(_expected), "the slow sender loses nothing");
            Assert.That(slowAll.Count - Entries, Is.InRange(0, 1000), "duplicates at most the chunk in flight");
            Assert.That(slowAgain.Accepted[^1], Is.EqualTo(_expected[^1]));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Records_the_peer_rejects_are_dropped_with_a_metric_and_the_rest_is_delivered(CancellationToken cancellationToken)
    {
        var metrics = new RecordingMetrics();
        var sink = new ScriptedSink("picky", (_, batch, _) =>
        {
            var items = batch.Records.Select(r => Seq(System.Text.Encoding.UTF8.GetString(r.Span)) % 10 == 0 ? ItemStatus.Rejected : ItemStatus.Delivered).ToList();
            return ValueTask.FromResult(SendResult.Partial(items, "invalid document"));
        });

        await RunToEnd(Reader(sink), metrics, cancellationToken: cancellationToken);
        int rejected = Entries / 10;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Accepted, Is.EqualTo(_expected.Where(r => Seq(r) % 10 != 0)));
            Assert.That(metrics.Lines.Where(l => l.StartsWith("journal.send_rejected,", StringComparison.Ordinal)).Sum(l => int.Parse(l.Split(':')[1].Split('|')[0], System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(rejected));
            Assert.That(metrics.Lines, Has.Some.Contains("reader=pipeline,sender=picky,reason=invalid_document"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_sink_asking_to_retry_some_records_gets_only_those_again(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var retried = Channel.CreateUnbounded<int>();
        bool once = false;
        var sink = new ScriptedSink("throttled", (call, batch, _) =>
        {
            if (!once && batch.Count > 2)
            {
                once = true;
                retried.Writer.TryWrite(call);
                var items = Enumerable.Range(0, batch.Count).Select(i => i % 2 == 0 ? ItemStatus.Delivered : ItemStatus.Retry).ToList();
                return ValueTask.FromResult(SendResult.Partial(items, "429 too many requests", TimeSpan.FromSeconds(3)));
            }

            return ValueTask.FromResult(SendResult.Delivered);
        });

        await using var engine = new PumpEngine(new PumpOptions { Readers = [Reader(sink)] }, timeProvider: time);
        await engine.StartAsync(cancellationToken);
        int throttled = await retried.Reader.ReadAsync(cancellationToken);
        await AdvanceUntilRetried(sink, throttled, time, cancellationToken);
        await engine.Completion.WaitAsync(cancellationToken);

        Assert.That(sink.Accepted, Is.EquivalentTo(_expected));
        Assert.That(sink.Accepted, Is.Unique);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Resuming_from_a_checkpoint_delivers_exactly_what_came_after_it(CancellationToken cancellationToken)
    {
        using var builder = new JournalFileBuilder("resume");
        builder.Add(TestCorpus.Generate(0, 500), "a.journal");
        var first = new ScriptedSink("out");
        var state = await RunToEnd(Reader(first, directory: builder.Directory), cancellationToken: cancellationToken);

        builder.Add(TestCorpus.Generate(500, 300), "b.journal");
        var second = new ScriptedSink("out");
        await RunToEnd(Reader(second, directory: builder.Directory, resume: [state[0].Senders[0].SentCursor]), cancellationToken: cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Accepted.Select(Seq), Is.EqualTo(Enumerable.Range(0, 500).Select(i => (long)i)));
            Assert.That(second.Accepted.Select(Seq), Is.EqualTo(Enumerable.Range(500, 300).Select(i => (long)i)));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_vacuumed_checkpoint_resumes_at_the_oldest_entry_left_and_says_so(CancellationToken cancellationToken)
    {
        using var builder = new JournalFileBuilder("vacuumed");
        string older = builder.Add(TestCorpus.Generate(0, 400), "a.journal");
        builder.Add(TestCorpus.Generate(400, 100), "b.journal");
        string checkpoint;
        using (var journal = Journal.OpenDirectory(builder.Directory))
        {
            journal.Skip(200);
            checkpoint = journal.GetCursor();
        }

        File.Delete(older);
        var metrics = new RecordingMetrics();
        var sink = new ScriptedSink("out");
        await RunToEnd(Reader(sink, directory: builder.Directory, resume: [checkpoint]), metrics, cancellationToken: cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Accepted.Select(Seq), Is.EqualTo(Enumerable.Range(400, 100).Select(i => (long)i)));
            Assert.That(metrics.Lines, Has.Some.StartsWith("journal.resume_cursor_missing,reader=pipeline:1|c"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_malformed_checkpoint_falls_back_to_the_initial_position(CancellationToken cancellationToken)
    {
        var metrics = new RecordingMetrics();
        var sink = new ScriptedSink("out");
        await RunToEnd(Reader(sink, resume: ["not a cursor"]), metrics, cancellationToken: cancellationToken);
        Assert.That(sink.Accepted, Is.EqualTo(_expected));
        Assert.That(metrics.Lines, Has.Some.StartsWith("exception,where=resume"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Tail_starts_after_the_last_entry(CancellationToken cancellationToken)
    {
        var sink = new ScriptedSink("out");
        var options = Reader(sink, initial: InitialPosition.Tail);
        await RunToEnd(options, cancellationToken: cancellationToken);
        Assert.That(sink.Accepted, Is.Empty);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Stopping_flushes_and_disposes_the_sinks(CancellationToken cancellationToken)
    {
        var sink = new ScriptedSink("out");
        var engine = new PumpEngine(new PumpOptions { Readers = [Reader(sink)] });
        await engine.StartAsync(cancellationToken);
        await engine.Completion.WaitAsync(cancellationToken);
        await engine.DisposeAsync();
        Assert.That(sink.Flushes, Is.EqualTo(1));
        Assert.That(sink.Disposed, Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_entry_that_a_filter_fails_on_is_skipped_with_a_metric_and_the_rest_flows(CancellationToken cancellationToken)
    {
        var metrics = new RecordingMetrics();
        var sink = new ScriptedSink("out");
        var options = Reader(sink);
        var failing = new JournalReaderOptions
        {
            Name = options.Name,
            Open = options.Open,
            StopAtEnd = true,
            Senders = options.Senders,
            EntryFilter = new ThrowingFilter(),
        };

        await RunToEnd(failing, metrics, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Accepted, Is.EqualTo(_expected.Where(r => Seq(r) % 100 != 7)));
            Assert.That(metrics.Lines.Count(l => l.Contains("where=mainloop", StringComparison.Ordinal)), Is.EqualTo(Entries / 100));
        }
    }

    private sealed class ThrowingFilter : IEntryFilter
    {
        public bool Accept(JournalPump.Core.Formatting.JournalRecord record)
        {
            int message = record.IndexOf("MESSAGE"u8);
            long seq = Seq("{\"REALTIME_TIMESTAMP\": " + record[record.IndexOf("REALTIME_TIMESTAMP"u8)][0].ToPythonString() + "}");
            return message >= 0 && seq % 100 == 7 ? throw new InvalidOperationException("a filter bug") : true;
        }
    }

    private static async Task AdvanceUntilRetried(ScriptedSink sink, int failedCall, FakeTimeProvider time, CancellationToken cancellationToken)
    {
        // The runner waits out its backoff on the fake clock: move the clock past any backoff until the
        // sink sees the call after the failed one.
        while (true)
        {
            var next = sink.Calls.Reader.ReadAsync(cancellationToken).AsTask();
            while (!next.IsCompleted)
            {
                time.Advance(TimeSpan.FromHours(1));
                await Task.Yield();
            }

            if (await next > failedCall)
            {
                return;
            }
        }
    }

    private static long Seq(string record)
    {
        using var doc = JsonDocument.Parse(record);
        // Entry i was written at StartRealtime + i ms + less than 1 ms.
        long realtime = (long)Math.Round(doc.RootElement.GetProperty("REALTIME_TIMESTAMP").GetDouble() * 1_000_000);
        return (realtime - (long)TestCorpus.StartRealtime) / 1000;
    }

    private static JournalReaderOptions Reader(ScriptedSink sink, long maxBufferRecords = 50_000, int chunkEntries = 1000, DeliveryOptions? delivery = null, string? directory = null, string?[]? resume = null, InitialPosition? initial = null) =>
        Reader([sink], maxBufferRecords, chunkEntries, delivery, directory, resume, initial);

    private static JournalReaderOptions Reader(ScriptedSink[] sinks, long maxBufferRecords = 50_000, int chunkEntries = 1000, DeliveryOptions? delivery = null, string? directory = null, string?[]? resume = null, InitialPosition? initial = null)
    {
        string dir = directory ?? _journal.Directory;
        return new JournalReaderOptions
        {
            Name = "pipeline",
            Open = () => Journal.OpenDirectory(dir),
            StopAtEnd = true,
            MaxBufferRecords = maxBufferRecords,
            ChunkEntries = chunkEntries,
            InitialPosition = initial ?? InitialPosition.Head,
            Senders = [.. sinks.Select((s, i) => new JournalSenderOptions
            {
                Name = s.Name,
                Type = "TestSender",
                CreateSink = () => s,
                Delivery = delivery ?? new DeliveryOptions(),
                ResumeCursor = resume?[i],
            })],
        };
    }

    private static async Task<IReadOnlyList<ReaderState>> RunToEnd(JournalReaderOptions reader, RecordingMetrics? metrics = null, CancellationToken cancellationToken = default)
    {
        await using var engine = new PumpEngine(new PumpOptions { Readers = [reader] }, metrics);
        await engine.StartAsync(cancellationToken);
        await engine.Completion.WaitAsync(cancellationToken);
        return engine.GetState();
    }
}
