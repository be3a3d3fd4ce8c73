using JournalPump.Testing;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>The daemon reading a live journald namespace (<c>journal_namespace</c>): follow mode and SIGHUP reloads.</summary>
[Category("Integration")]
public sealed class LiveJournalTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Entries_sent_to_a_live_journald_reach_the_output_while_it_follows(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        using var work = new Workspace("live");
        string run = Guid.NewGuid().ToString("N");
        Sequenced.Send(journald, run, 1, 5);
        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("out", work.Output())))));
        await pump.WaitUntilStartedAsync(cancellationToken);
        var lines = new LineCounter(work.Output());
        await Change.WaitUntilAsync(() => lines.Count() >= 5, "the 5 entries written before the start", cancellationToken, pump, [work.Directory]);

        // Follow: entries written after the reader reached the end arrive too.
        Sequenced.Send(journald, run, 6, 5);
        await Change.WaitUntilAsync(() => lines.Count() >= 10, "the 5 entries written while following", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        var cursors = Configs.NamespaceCursors(journald.Namespace, run);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Sequenced.Read(work.Output()), Is.EqualTo(Enumerable.Range(1, 10)));
            Assert.That(Configs.SentCursor(work.StatePath), Is.Not.Null, "state file's sent cursor");
            Assert.That(cursors.GetValueOrDefault(Configs.SentCursor(work.StatePath) ?? ""), Is.EqualTo(10), "the checkpoint is the last entry");
        }
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Sighup_with_a_new_sender_and_a_new_log_level_keeps_running_without_losing_or_repeating_entries(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        using var work = new Workspace("sighup-good");
        string run = Guid.NewGuid().ToString("N");
        string a = work.Output("a");
        string b = work.Output("b");
        Sequenced.Send(journald, run, 1, 10);
        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("a", a)))));
        await pump.WaitUntilStartedAsync(cancellationToken);
        var linesA = new LineCounter(a);
        await Change.WaitUntilAsync(() => linesA.Count() >= 10, "sender a has the first 10 entries", cancellationToken, pump, [work.Directory]);

        // A second sender: the readers object changes, so the readers are rebuilt from the in-memory positions.
        int mark = pump.LineCount;
        work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("a", a), ("b", b))));
        pump.Signal("HUP");
        await pump.WaitForLogAsync("configuration reloaded (readers rebuilt)", cancellationToken, mark);
        Sequenced.Send(journald, run, 11, 10);
        await Change.WaitUntilAsync(() => linesA.Count() >= 20 && Sequenced.Read(b).Contains(20), "both senders have entry 20", cancellationToken, pump, [work.Directory]);

        // Only log_level: the running readers are kept.
        mark = pump.LineCount;
        work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("a", a), ("b", b)), logLevel: "DEBUG"));
        pump.Signal("HUP");
        await pump.WaitForLogAsync("configuration reloaded (readers unchanged", cancellationToken, mark);
        Sequenced.Send(journald, run, 21, 10);
        await Change.WaitUntilAsync(() => linesA.Count() >= 30 && Sequenced.Read(b).Contains(30), "both senders have entry 30", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        var seqsB = Sequenced.Read(b);
        TestContext.Out.WriteLine($"the sender added by SIGHUP received {seqsB.Count} lines: {string.Join(",", seqsB)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Sequenced.Read(a), Is.EqualTo(Enumerable.Range(1, 30)), "the old sender: every entry once, in order");
            Assert.That(seqsB, Is.Ordered.Ascending.And.Unique, "the new sender: in order, no repeats");
            Assert.That(seqsB, Is.SupersetOf(Enumerable.Range(11, 20)), "the new sender: everything written after the reload");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Sighup_with_invalid_json_logs_an_error_and_the_old_config_keeps_running(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        using var work = new Workspace("sighup-bad");
        string run = Guid.NewGuid().ToString("N");
        Sequenced.Send(journald, run, 1, 5);
        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(work.StatePath, Configs.NamespaceReader(journald.Namespace, run, ("out", work.Output())))));
        await pump.WaitUntilStartedAsync(cancellationToken);
        var lines = new LineCounter(work.Output());
        await Change.WaitUntilAsync(() => lines.Count() >= 5, "5 lines", cancellationToken, pump, [work.Directory]);

        int mark = pump.LineCount;
        work.WriteConfig("{\"readers\": {\"r\": ");
        pump.Signal("HUP");
        string error = await pump.WaitForLogAsync("is not valid, the running one is kept", cancellationToken, mark);
        Sequenced.Send(journald, run, 6, 5);
        await Change.WaitUntilAsync(() => lines.Count() >= 10, "10 lines", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Does.Contain("ERROR"));
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Sequenced.Read(work.Output()), Is.EqualTo(Enumerable.Range(1, 10)));
        }
    }
}
