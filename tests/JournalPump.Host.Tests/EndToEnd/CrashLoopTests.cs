using JournalPump.Testing;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// A live journald receives numbered entries while the daemon is stopped at random points and started again,
/// 20 times: with SIGKILL (no state written: the next run resends what followed the last checkpoint) and with
/// SIGTERM (state written after the senders delivered: nothing is resent). Every entry must arrive.
/// </summary>
[Category("Integration")]
public sealed class CrashLoopTests
{
    private const int Rounds = 20;
    private const int Burst = 25;

    /// <summary>Core's default chunk size (PumpOptions.ChunkEntries), for the report only: the state file is
    /// written every 10 s, so a kill resends everything delivered since that write, not one chunk.</summary>
    private const int ChunkEntries = 1000;

    [Test]
    [CancelAfter(240_000)]
    public async Task Kill_9_at_random_points_loses_nothing_and_resends_only_what_followed_the_checkpoint(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        using var work = new Workspace("kill9");
        string run = Guid.NewGuid().ToString("N");
        string config = work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("out", work.Output()))));
        var random = new Random(20261125);
        var lines = new LineCounter(work.Output());
        var segmentEnds = new List<int>();
        var checkpoints = new List<string?>();
        int sent = 0;

        for (int round = 0; round < Rounds; round++)
        {
            Sequenced.Send(journald, run, sent + 1, Burst);
            sent += Burst;
            await using var pump = PumpProcess.Start(config);
            int before = lines.Count();
            await pump.WaitUntilStartedAsync(cancellationToken);

            // More entries while it runs; then kill once a random number of lines (0 included) has arrived.
            // At least 2 * Burst entries are new to this run, so the target is always reached.
            Sequenced.Send(journald, run, sent + 1, Burst);
            sent += Burst;
            if (round % 5 == 4)
            {
                // Every fifth round lives through a periodic state write (10 s), then streams on and is killed.
                var written = File.Exists(work.StatePath) ? File.GetLastWriteTimeUtc(work.StatePath) : DateTime.MinValue;
                await Change.WaitUntilAsync(
                    () => File.Exists(work.StatePath) && File.GetLastWriteTimeUtc(work.StatePath) != written,
                    "the periodic state write",
                    cancellationToken,
                    pump,
                    [work.Directory]);
                before = lines.Count();
                Sequenced.Send(journald, run, sent + 1, Burst);
                sent += Burst;
            }

            int target = before + random.Next(0, (round % 5 == 4 ? 1 : 2) * Burst + 1);
            await Change.WaitUntilAsync(() => lines.Count() >= target, $"{target} lines", cancellationToken, pump, [work.Directory]);
            pump.KillHard();
            Assert.That(await pump.WaitForExitAsync(cancellationToken), Is.Not.Zero);
            segmentEnds.Add(lines.Count());
            checkpoints.Add(Configs.SentCursor(work.StatePath));
        }

        // A last run delivers the rest and stops gracefully.
        await using (var last = PumpProcess.Start(config))
        {
            await last.WaitUntilStartedAsync(cancellationToken);
            await Change.WaitUntilAsync(() => Sequenced.ReadTolerant(work.Output()).Seqs.Distinct().Count() >= sent, $"all {sent} entries delivered", cancellationToken, last, [work.Directory]);
            Assert.That(await last.StopAsync(cancellationToken), Is.Zero, last.Stderr);
        }

        var (seqs, lineStarts, torn) = Sequenced.ReadTolerant(work.Output());
        var cursors = Configs.NamespaceCursors(journald.Namespace, run);
        var problems = new List<string>();

        // The checkpoint in force at each kill: the entry of the state file's sent cursor (0: no state yet).
        var checkpointSeqs = checkpoints.Select((c, kill) =>
        {
            if (c is null)
            {
                return 0;
            }

            if (!cursors.TryGetValue(c, out int seq))
            {
                problems.Add($"kill {kill}: the state file's sent cursor is not one of this run's entries");
            }

            return seq;
        }).ToList();

        // Split the output into runs; a duplicate in run k+1 was caused by kill k. Each one must come after the
        // checkpoint of that kill, and a kill cannot cause more duplicates than it had delivered past its checkpoint.
        var perKill = new List<int>();
        var deliveredPastCheckpoint = new List<int>();
        var seen = new HashSet<int>();
        int start = 0;
        segmentEnds.Add(lineStarts.Count - 1);
        for (int segment = 0; segment < segmentEnds.Count; segment++)
        {
            int end = lineStarts[segmentEnds[segment]];
            int checkpoint = segment == 0 ? 0 : checkpointSeqs[segment - 1];
            int duplicates = 0;
            for (int i = start; i < end; i++)
            {
                if (i > start && seqs[i] <= seqs[i - 1])
                {
                    problems.Add($"run {segment}: {seqs[i]} after {seqs[i - 1]} (out of order or repeated within one run)");
                }

                if (!seen.Add(seqs[i]))
                {
                    duplicates++;
                    if (seqs[i] <= checkpoint)
                    {
                        problems.Add($"run {segment}: resent {seqs[i]}, at or before the checkpoint {checkpoint}");
                    }
                }
            }

            if (segment > 0)
            {
                perKill.Add(duplicates);
            }

            if (segment < checkpointSeqs.Count)
            {
                deliveredPastCheckpoint.Add(seen.Count(n => n > checkpointSeqs[segment]));
            }

            start = end;
        }

        for (int kill = 0; kill < perKill.Count; kill++)
        {
            if (perKill[kill] > deliveredPastCheckpoint[kill])
            {
                problems.Add($"kill {kill}: {perKill[kill]} duplicates, but only {deliveredPastCheckpoint[kill]} entries had been delivered past its checkpoint");
            }
        }

        foreach (var line in torn)
        {
            TestContext.Out.WriteLine($"torn line ({line.Length} chars): {line[..Math.Min(line.Length, 160)]} ...");
        }

        var missing = Enumerable.Range(1, sent).Where(n => !seen.Contains(n)).ToList();
        TestContext.Out.WriteLine(
            $"kill -9: {sent} entries, {Rounds} kills, {seqs.Count} records in {lineStarts.Count - 1} lines; duplicates per kill: [{string.Join(", ", perKill)}] " +
            $"(delivered past the checkpoint at each kill: [{string.Join(", ", deliveredPastCheckpoint)}]); max {perKill.Max()}, total {perKill.Sum()}; " +
            $"missing {missing.Count}; torn lines {torn.Count}; journal holds {cursors.Count}; Core chunk size {ChunkEntries} entries");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cursors, Has.Count.EqualTo(sent), "journald stored every entry sent");
            Assert.That(missing, Is.Empty, "entries never delivered");
            Assert.That(problems, Is.Empty);
            Assert.That(torn, Is.Empty, "records cut off by a killed run, then continued on the same line by the next run");
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task Sigterm_at_random_points_delivers_every_entry_exactly_once(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        using var work = new Workspace("sigterm-loop");
        string run = Guid.NewGuid().ToString("N");
        string config = work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("out", work.Output()))));
        var random = new Random(20261126);
        var lines = new LineCounter(work.Output());
        int sent = 0;

        for (int round = 0; round <= Rounds; round++)
        {
            Sequenced.Send(journald, run, sent + 1, Burst);
            sent += Burst;
            await using var pump = PumpProcess.Start(config);
            int before = lines.Count();
            await pump.WaitUntilStartedAsync(cancellationToken);
            Sequenced.Send(journald, run, sent + 1, Burst);
            sent += Burst;

            // The last round waits for everything; the others stop at a random point.
            int target = round == Rounds ? sent : before + random.Next(0, (2 * Burst) + 1);
            await Change.WaitUntilAsync(() => lines.Count() >= target, $"{target} lines", cancellationToken, pump, [work.Directory]);
            int exitCode = await pump.StopAsync(cancellationToken);
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(pump.Stderr, Does.Contain(PumpProcess.StoppedLine));
        }

        var seqs = Sequenced.Read(work.Output());
        int duplicates = seqs.Count - seqs.Distinct().Count();
        TestContext.Out.WriteLine($"SIGTERM: {sent} entries, {Rounds} stops, {seqs.Count} lines, {duplicates} duplicates");
        Assert.That(seqs, Is.EqualTo(Enumerable.Range(1, sent)), "every entry exactly once, in order");
    }
}
