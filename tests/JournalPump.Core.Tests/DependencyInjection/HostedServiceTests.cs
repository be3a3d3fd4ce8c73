using System.Threading.Channels;
using JournalPump.Core.Checkpoints;
using JournalPump.Core.DependencyInjection;
using JournalPump.Core.Pipeline;
using JournalPump.Core.Tests.Pipeline;
using JournalPump.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Systemd.Journal;

namespace JournalPump.Core.Tests.DependencyInjection;

[Category("Integration")]
public sealed class HostedServiceTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_generic_host_ships_the_journal_and_resumes_from_its_state_file(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("hosted");
        journal.Add(TestCorpus.Generate(0, 700), "a.journal");
        string state = Path.Combine(journal.Directory, "state", "pump.json");
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);

        var first = new ScriptedSink("out");
        await RunHost(journal.Directory, state, first, expect: 700, cancellationToken);
        Assert.That(first.Accepted, Has.Count.EqualTo(700));
        Assert.That(PumpStateFile.Read(state).SentCursor("local", "out"), Is.Not.Null);

        journal.Add(TestCorpus.Generate(700, 50), "b.journal");
        var second = new ScriptedSink("out");
        await RunHost(journal.Directory, state, second, expect: 50, cancellationToken);
        Assert.That(second.Accepted, Has.Count.EqualTo(50), "only the entries after the checkpoint");
    }

    [Test]
    public void Invalid_pump_options_name_every_problem()
    {
        var options = new PumpOptions
        {
            Readers =
            [
                new JournalReaderOptions { Name = "r", Open = () => throw new InvalidOperationException(), MaxBufferRecords = 0, Senders =
                [
                    new JournalSenderOptions { Name = "s", Type = "T", CreateSink = () => new ScriptedSink("s") },
                    new JournalSenderOptions { Name = "s", Type = "T", CreateSink = () => new ScriptedSink("s"), Delivery = new DeliveryOptions { MaxBatchBytes = 0 } },
                ] },
                new JournalReaderOptions { Name = "r", Open = () => throw new InvalidOperationException() },
            ],
        };
        Assert.That(PumpOptionsValidator.Validate(options), Is.EquivalentTo(new[]
        {
            "Readers[r].MaxBufferRecords: must be positive, not 0",
            "Readers[r].Senders[s].Name: every sender of a reader needs its own name",
            "Readers[r].Senders[s].Delivery: MaxBatchBytes and MaxBatchRecords must be positive",
            "Readers[r]: the name is used by another reader",
        }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_journal_that_does_not_exist_yet_is_opened_once_it_appears(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("late");
        string dir = Path.Combine(journal.Directory, "later");
        var time = new FakeTimeProvider();
        var attempts = Channel.CreateUnbounded<int>();
        int attempt = 0;
        var sink = new ScriptedSink("out");
        var reader = new JournalReaderOptions
        {
            Name = "late",
            StopAtEnd = true,
            Open = () =>
            {
                attempt++;
                try
                {
                    return Journal.OpenDirectory(dir);
                }
                finally
                {
                    attempts.Writer.TryWrite(attempt); // after the attempt, so the test acts on its outcome
                }
            },
            Senders = [new JournalSenderOptions { Name = "out", Type = "T", CreateSink = () => sink }],
        };
        await using var engine = new PumpEngine(new PumpOptions { Readers = [reader] }, timeProvider: time);
        var start = engine.StartAsync(cancellationToken);
        Assert.That(await attempts.Reader.ReadAsync(cancellationToken), Is.EqualTo(1));

        Directory.CreateDirectory(dir);
        JournalFileBuilder.WriteJournalFile(Path.Combine(dir, "x.journal"), s => JournalExportWriter.Write(s, TestCorpus.Generate(0, 10)));
        // The reader waits 2 s on the fake clock before it tries again: move the clock until it has opened.
        while (!start.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.Yield();
        }

        await start;
        await engine.Completion.WaitAsync(cancellationToken);
        Assert.That(sink.Accepted, Has.Count.EqualTo(10), () => $"attempts {attempt}, state {engine.GetState()[0]}, skipped files in {dir}: {string.Join(",", Directory.GetFiles(dir))}");
    }

    private static async Task RunHost(string directory, string state, ScriptedSink sink, int expect, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJournalPump(
            (_, checkpoint) => new PumpOptions
            {
                Readers =
                [
                    new JournalReaderOptions
                    {
                        Name = "local",
                        Open = () => Journal.OpenDirectory(directory),
                        Senders = [new JournalSenderOptions { Name = "out", Type = "TestSender", CreateSink = () => sink, ResumeCursor = checkpoint.SentCursor("local", "out") }],
                    },
                ],
            },
            state);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await sink.WaitForAcceptedAsync(expect, cancellationToken);
        await host.StopAsync(cancellationToken);
    }
}
