using System.Text;
using System.Text.RegularExpressions;
using JournalPump.Core.Checkpoints;
using JournalPump.Core.Pipeline;
using JournalPump.Core.Tests.Formatting;
using JournalPump.Core.Tests.Pipeline;
using JournalPump.Testing;
using Systemd.Journal;

namespace JournalPump.Core.Tests.Checkpoints;

[Category("Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class StateFileTests
{
    [TestCase("plain-entries")]
    [TestCase("timestamps")]
    [TestCase("binary-values")]
    [CancelAfter(60_000)]
    public async Task The_state_file_after_a_run_is_journalpumps_byte_for_byte(string name, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(GoldenCases.Root, name);
        using var builder = new JournalFileBuilder(name);
        builder.AddExportFile(Path.Combine(folder, "input.export"), "golden.journal");
        var sink = new ScriptedSink("out");
        var reader = new JournalReaderOptions
        {
            Name = "golden",
            Open = () => Journal.OpenDirectory(builder.Directory),
            StopAtEnd = true,
            Senders = [new JournalSenderOptions { Name = "out", Type = PumpStateFile.SenderTypes["file"], CreateSink = () => sink }],
        };

        IReadOnlyList<ReaderState> state;
        await using (var engine = new PumpEngine(new PumpOptions { Readers = [reader] }))
        {
            await engine.StartAsync(cancellationToken);
            await engine.Completion.WaitAsync(cancellationToken);
            state = engine.GetState();
        }

        string path = Path.Combine(builder.Directory, "state.json");
        PumpStateFile.Write(path, state, DateTimeOffset.UnixEpoch);
        string written = Normalize(File.ReadAllText(path));
        string expected = File.ReadAllText(Path.Combine(folder, "expected-state.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo(expected));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(builder.Directory, "*.tmp"), Is.Empty);
        }

        var read = PumpStateFile.Read(path);
        Assert.That(read.SentCursor("golden", "out"), Is.EqualTo(state[0].Senders[0].SentCursor));
    }

    [Test]
    public void An_upstream_state_file_is_read_for_its_positions()
    {
        using var builder = new JournalFileBuilder("upstream-state");
        string path = Path.Combine(builder.Directory, "journalpump_state.json");
        File.WriteAllText(path, """
            {
                "readers": {
                    "r": {
                        "cursor": "s=bf;i=2;b=01;m=5;t=60;x=1a",
                        "searches": {},
                        "senders": {
                            "f": { "sent": { "bytes": 1, "count": 1, "cursor": "s=bf;i=1;b=01;m=4;t=5f;x=1b" }, "type": "FileSender" },
                            "k": { "sent": { "bytes": 0, "count": 0, "cursor": null }, "type": "KafkaSender" }
                        }
                    }
                },
                "start_time": "2024-11-25T15:42:49.199193"
            }
            """);
        var checkpoint = PumpStateFile.Read(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(checkpoint.Readers["r"].ReadCursor, Is.EqualTo("s=bf;i=2;b=01;m=5;t=60;x=1a"));
            Assert.That(checkpoint.SentCursor("r", "f"), Is.EqualTo("s=bf;i=1;b=01;m=4;t=5f;x=1b"));
            Assert.That(checkpoint.SentCursor("r", "k"), Is.Null);
            Assert.That(checkpoint.SentCursor("other", "f"), Is.Null);
            Assert.That(PumpStateFile.Read(Path.Combine(builder.Directory, "missing.json")).Readers, Is.Empty);
        }

        File.WriteAllText(path, "{ not json");
        Assert.That(() => PumpStateFile.Read(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains(path));
    }

    [Test]
    public void Our_additions_appear_only_when_there_is_something_to_report()
    {
        var reader = new ReaderState
        {
            Name = "r",
            LostEntries = 12,
            SearchHits = new Dictionary<string, long> { ["oom"] = 4 },
            Senders = [new SenderState { Name = "s", Type = "FileSender", RejectedCount = 3, Errors = ["connection refused"], Status = SenderStatus.Disconnected, Elapsed = 1.5 }],
        };
        string text = Encoding.UTF8.GetString(PumpStateFile.Serialize([reader], DateTimeOffset.UnixEpoch));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("\"lost_entries\": 12,"));
            Assert.That(text, Does.Contain("\"rejected\": 3"));
            Assert.That(text, Does.Contain("\"errors\": [\n                            \"connection refused\"\n                        ],"));
            Assert.That(text, Does.Contain("\"status\": \"disconnected\""));
            Assert.That(text, Does.Contain("\"elapsed\": 1.5,"));
            Assert.That(text, Does.Contain("\"searches\": {\n                \"oom\": 4\n            },"));
            Assert.That(text, Does.EndWith("\"start_time\": \"1970-01-01T00:00:00.000000\"\n}"));
        }
    }

    private static string Normalize(string state)
    {
        state = SeqnumId().Replace(state, "s=@SEQNUM_ID@;");
        state = Elapsed().Replace(state, "\"elapsed\": \"@ELAPSED@\"");
        return StartTime().Replace(state, "\"start_time\": \"@START_TIME@\"");
    }

    [GeneratedRegex("s=[0-9a-f]{32};")]
    private static partial Regex SeqnumId();

    [GeneratedRegex("\"elapsed\": [0-9.e+-]+")]
    private static partial Regex Elapsed();

    [GeneratedRegex("\"start_time\": \"[^\"]*\"")]
    private static partial Regex StartTime();
}
