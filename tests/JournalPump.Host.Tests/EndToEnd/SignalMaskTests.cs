using System.Globalization;
using JournalPump.Testing;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// A parent that starts the daemon from a thread blocking signals (threads that librdkafka creates block them all,
/// and a process inherits the mask of the thread that starts it), or with SIGHUP ignored (<c>nohup</c>), must not
/// leave the daemon deaf to SIGHUP and SIGTERM.
/// </summary>
[Category("Integration")]
public sealed class SignalMaskTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_daemon_started_with_signals_blocked_still_reloads_on_sighup_and_stops_on_sigterm(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-sigmask");
        using var work = new Workspace("sigmask");
        journal.Add(Sequenced.Entries(1, 3));
        string config = work.WriteConfig(Configs.Config(work.StatePath, Configs.PathReader(journal.Directory, ("out", work.Output()))));

        // Start the daemon from a thread that blocks SIGHUP, SIGINT and SIGTERM, as a librdkafka thread would.
        PumpProcess? started = null;
        var starter = new Thread(() =>
        {
            Interop.Libc.sigemptyset(out var set);
            Interop.Libc.sigaddset(ref set, Interop.Libc.SigHup);
            Interop.Libc.sigaddset(ref set, Interop.Libc.SigInt);
            Interop.Libc.sigaddset(ref set, Interop.Libc.SigTerm);
            Assert.That(Interop.Libc.pthread_sigmask(Interop.Libc.SigBlock, set, out _), Is.Zero);
            started = PumpProcess.Start(config);
        });
        starter.Start();
        starter.Join();
        await using var pump = started!;
        await ReloadsAndStops(pump, cancellationToken);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_daemon_started_under_nohup_still_reloads_on_sighup(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-nohup");
        using var work = new Workspace("nohup");
        journal.Add(Sequenced.Entries(1, 3));
        string config = work.WriteConfig(Configs.Config(work.StatePath, Configs.PathReader(journal.Directory, ("out", work.Output()))));
        await using var pump = PumpProcess.Start(config, launcher: "/usr/bin/nohup");
        await ReloadsAndStops(pump, cancellationToken);
    }

    private static async Task ReloadsAndStops(PumpProcess pump, CancellationToken cancellationToken)
    {
        await pump.WaitUntilStartedAsync(cancellationToken);
        int mark = pump.LineCount;
        pump.Signal("HUP");
        string reloaded = await pump.WaitForLogAsync("SIGHUP", cancellationToken, mark);
        long blocked = Signals(pump.Id, "SigBlk:");
        long ignored = Signals(pump.Id, "SigIgn:");
        int exitCode = await pump.StopAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reloaded, Does.Contain("SIGHUP"));
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(pump.Stderr, Does.Contain(PumpProcess.StoppedLine));
            Assert.That(blocked & 0x4003, Is.Zero, "the main thread blocks none of SIGHUP (bit 0), SIGINT (bit 1), SIGTERM (bit 14)");
            Assert.That(ignored & 0x4003, Is.Zero, "the daemon ignores none of them");
        }
    }

    /// <summary>A signal set of the main thread (<c>SigBlk:</c>, <c>SigIgn:</c>), from <c>/proc/PID/status</c>.</summary>
    private static long Signals(int pid, string field)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
