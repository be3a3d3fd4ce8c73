using System.Text.Json.Nodes;
using JournalPump.Testing;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>Resuming from the state file through the daemon process: vacuumed, missing, unreadable and upstream state.</summary>
[Category("Integration")]
public sealed class StateFileTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Resume_after_a_vacuumed_checkpoint_starts_at_the_oldest_entry_left_and_logs_it(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-vacuum");
        using var work = new Workspace("vacuum");
        await using var statsd = new StatsdListener();
        string first = journal.Add(Sequenced.Entries(1, 5), "a.journal");
        string config = work.WriteConfig(Configs.Config(work.StatePath, Configs.PathReader(journal.Directory, ("out", work.Output())), statsdPort: statsd.Port));
        var lines = new LineCounter(work.Output());
        await using (var pump = PumpProcess.Start(config))
        {
            await Change.WaitUntilAsync(() => lines.Count() >= 5, "5 lines", cancellationToken, pump, [work.Directory]);
            Assert.That(await pump.StopAsync(cancellationToken), Is.Zero, pump.Stderr);
        }

        // The file holding the checkpoint's entry goes; a newer file stays.
        journal.Add(Sequenced.Entries(6, 5), "b.journal");
        File.Delete(first);
        await using (var pump = PumpProcess.Start(config))
        {
            string warning = await pump.WaitForLogAsync("no longer in the journal", cancellationToken);
            await Change.WaitUntilAsync(() => lines.Count() >= 10, "10 lines", cancellationToken, pump, [work.Directory]);
            await Change.WaitUntilAsync(
                () => statsd.Lines.Any(l => l.StartsWith("journal.resume_cursor_missing,", StringComparison.Ordinal) && l.EndsWith(":1|c", StringComparison.Ordinal)),
                "the journal.resume_cursor_missing counter",
                cancellationToken,
                pump,
                statsd: statsd);
            int exitCode = await pump.StopAsync(cancellationToken);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(warning, Does.Contain("WARNING"));
                Assert.That(exitCode, Is.Zero, pump.Stderr);
                Assert.That(Sequenced.Read(work.Output()), Is.EqualTo(Enumerable.Range(1, 10)));
            }
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_missing_state_directory_is_created(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-statedir");
        using var work = new Workspace("statedir");
        journal.Add(Sequenced.Entries(1, 3));
        string statePath = Path.Combine(work.Directory, "missing", "deeper", "state.json");
        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(statePath, Configs.PathReader(journal.Directory, ("out", work.Output())))));
        var lines = new LineCounter(work.Output());
        await Change.WaitUntilAsync(() => lines.Count() >= 3, "3 lines", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Sequenced.Read(work.Output()), Is.EqualTo(Enumerable.Range(1, 3)));
            Assert.That(Configs.SentCursor(statePath), Is.EqualTo(Sequenced.Cursors(journal.Directory)[2]));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_unreadable_state_file_is_logged_and_reading_starts_at_initial_position(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-garbage");
        using var work = new Workspace("garbage");
        await using var statsd = new StatsdListener();
        journal.Add(Sequenced.Entries(1, 4));
        File.WriteAllText(work.StatePath, "{\"readers\": {\"r\": garbage");
        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(work.StatePath, Configs.PathReader(journal.Directory, ("out", work.Output())), statsdPort: statsd.Port)));
        string error = await pump.WaitForLogAsync("cannot be read", cancellationToken);
        await Change.WaitUntilAsync(
            () => statsd.Lines.Any(l => l.StartsWith("exception,", StringComparison.Ordinal) && l.Contains("where=resume", StringComparison.Ordinal)),
            "the exception counter with where=resume",
            cancellationToken,
            pump,
            statsd: statsd);
        var lines = new LineCounter(work.Output());
        await Change.WaitUntilAsync(() => lines.Count() >= 4, "4 lines", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Does.Contain("ERROR").And.Contain(work.StatePath));
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Sequenced.Read(work.Output()), Is.EqualTo(Enumerable.Range(1, 4)));
            Assert.That(Configs.SentCursor(work.StatePath), Is.EqualTo(Sequenced.Cursors(journal.Directory)[3]), "a valid state file replaces the garbage");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_state_file_from_upstream_journalpump_resumes_after_what_upstream_confirmed(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-upstream");
        using var work = new Workspace("upstream");
        journal.Add(Sequenced.Entries(1, 10));
        var cursors = Sequenced.Cursors(journal.Directory);

        // Upstream's shape (spec 3.5): it had read up to entry 8 and its file sender had confirmed entry 6.
        var state = new JsonObject
        {
            ["readers"] = new JsonObject
            {
                [Configs.Reader] = new JsonObject
                {
                    ["cursor"] = cursors[7],
                    ["searches"] = new JsonObject(),
                    ["senders"] = new JsonObject
                    {
                        ["out"] = new JsonObject
                        {
                            ["buffer"] = new JsonObject { ["current_queue"] = 2, ["cursor"] = cursors[7], ["entry_num"] = 8, ["total_size"] = 2400 },
                            ["health"] = new JsonObject { ["elapsed"] = 12.345678901234567, ["errors"] = new JsonArray(), ["status"] = "connected" },
                            ["sent"] = new JsonObject { ["bytes"] = 1800, ["count"] = 6, ["cursor"] = cursors[5] },
                            ["type"] = "FileSender",
                        },
                    },
                    ["total_bytes"] = 2400,
                    ["total_lines"] = 8,
                },
            },
            ["start_time"] = "2024-11-25T15:42:49.199193",
        };
        File.WriteAllText(work.StatePath, state.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }));

        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(work.StatePath, Configs.PathReader(journal.Directory, ("out", work.Output())))));
        var lines = new LineCounter(work.Output());
        await Change.WaitUntilAsync(() => lines.Count() >= 4, "4 lines", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Sequenced.Read(work.Output()), Is.EqualTo(Enumerable.Range(7, 4)), "entries 7..10: nothing upstream confirmed is resent");
            Assert.That(Configs.SentCursor(work.StatePath), Is.EqualTo(cursors[9]));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_output_type_not_in_this_build_exits_1_before_reading_anything(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-unbuilt");
        using var work = new Workspace("unbuilt");
        journal.Add(Sequenced.Entries(1, 3));
        var reader = Configs.PathReader(journal.Directory, ("out", work.Output()));
        reader["senders"]!["e"] = new JsonObject { ["output_type"] = "elasticsearch", ["elasticsearch_url"] = "http://localhost:9200" };
        await using var pump = PumpProcess.Start(work.WriteConfig(Configs.Config(work.StatePath, reader)));
        int exitCode = await pump.WaitForExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1), pump.Stderr);
            Assert.That(pump.Stderr, Does.Contain("output_type elasticsearch is not available in this build"));
            Assert.That(pump.Stderr, Does.Not.Contain(PumpProcess.StartedLine));
            Assert.That(File.Exists(work.Output()), Is.False, "nothing was written");
            Assert.That(File.Exists(work.StatePath), Is.False, "no state was written");
        }
    }
}
