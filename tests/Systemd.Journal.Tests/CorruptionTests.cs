using JournalPump.Testing;

namespace Systemd.Journal.Tests;

[Category("Integration")]
public sealed class CorruptionTests
{
    [Test]
    public void A_truncated_file_beside_a_healthy_one_does_not_stop_reading()
    {
        using var builder = new JournalFileBuilder("truncated");
        string damaged = builder.Add(TestCorpus.Generate(0, 2000), "damaged.journal");
        builder.Add(TestCorpus.Generate(2000, 500), "healthy.journal");
        Truncate(damaged, new FileInfo(damaged).Length / 3);

        var (read, errors, journal) = ReadAll(builder.Directory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.SupersetOf(Enumerable.Range(2000, 500).Select(CursorTests.Realtime)), "every entry of the healthy file is read");
            Assert.That(read, Is.Unique);
            Assert.That(errors, Is.Empty.Or.All.Property(nameof(JournalException.IsCorruption)).True);
            Assert.That(journal.SkippedFiles.Select(f => f.Path), Is.EqualTo(new[] { damaged }), "the truncated file is reported");
            Assert.That(journal.SkippedFiles[0].Error.Function, Is.EqualTo("sd_journal_open_files"));
        }

        using var files = Journal.OpenFiles([damaged, Path.Combine(builder.Directory, "healthy.journal")]);
        Assert.That(files.SkippedFiles.Select(f => f.Path), Is.EqualTo(new[] { damaged }), "a bad file does not fail the open of the others");
        Assert.That(files.MoveNext(), Is.True);
    }

    [Test]
    public void Overwritten_bytes_inside_a_file_are_reported_per_entry_and_reading_goes_on()
    {
        using var builder = new JournalFileBuilder("garbled");
        string damaged = builder.Add(TestCorpus.Generate(0, 3000), "damaged.journal");
        builder.Add(TestCorpus.Generate(3000, 500), "healthy.journal");

        // Scribble over a stretch in the middle of the data area: object headers and payloads.
        using (var f = new FileStream(damaged, FileMode.Open, FileAccess.Write))
        {
            var random = new Random(7);
            byte[] junk = new byte[64 * 1024];
            random.NextBytes(junk);
            f.Position = f.Length / 2;
            f.Write(junk);
        }

        var (read, errors, journal) = ReadAll(builder.Directory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.SupersetOf(Enumerable.Range(3000, 500).Select(CursorTests.Realtime)), "every entry of the healthy file is read");
            Assert.That(read.Count + errors.Count, Is.GreaterThan(500));
            Assert.That(errors, Is.Empty.Or.All.Property(nameof(JournalException.IsCorruption)).True);
            Assert.That(journal.FilesDroppedWhileReading + errors.Count, Is.GreaterThan(0), "the damage is reported");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ReadAllAsync_reports_damage_to_the_callback_and_reads_on(CancellationToken cancellationToken)
    {
        using var builder = new JournalFileBuilder("garbled-async");
        string damaged = builder.Add(TestCorpus.Generate(0, 1000), "damaged.journal");
        builder.Add(TestCorpus.Generate(1000, 300), "healthy.journal");
        string truncated = builder.Add(TestCorpus.Generate(1300, 500), "truncated.journal");
        Truncate(truncated, new FileInfo(truncated).Length / 2);
        using (var f = new FileStream(damaged, FileMode.Open, FileAccess.Write))
        {
            f.Position = f.Length / 2;
            f.Write(Enumerable.Repeat((byte)0xA5, 32 * 1024).ToArray());
        }

        var reported = new List<JournalException>();
        var read = new List<ulong>();
        var options = new JournalReadOptions { Follow = false, CorruptedEntry = reported.Add };
        await foreach (var entry in Journal.ReadAllAsync(() => Journal.OpenDirectory(builder.Directory), options, cancellationToken))
        {
            read.Add(entry.RealtimeMicroseconds);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.SupersetOf(Enumerable.Range(1000, 300).Select(CursorTests.Realtime)));
            Assert.That(reported, Has.Count.GreaterThanOrEqualTo(2), "the truncated file and the damaged one");
            Assert.That(reported.Select(e => e.Message), Has.Some.Contains("truncated.journal"));
        }
    }

    /// <summary>Reads everything, as a pump would: a corrupted entry is reported and skipped.</summary>
    private static (List<ulong> Read, List<JournalException> Errors, Journal Journal) ReadAll(string directory)
    {
        var read = new List<ulong>();
        var errors = new List<JournalException>();
        var journal = Journal.OpenDirectory(directory);
        while (true)
        {
            try
            {
                if (!journal.MoveNext())
                {
                    break;
                }

                ulong realtime = journal.GetRealtimeMicroseconds();
                foreach (var field in journal.EnumerateFields())
                {
                    _ = field.Value.Length;
                }

                read.Add(realtime);
            }
            catch (JournalException e) when (e.IsCorruption)
            {
                errors.Add(e);
                if (errors.Count > 10_000)
                {
                    throw;
                }
            }
        }

        journal.Dispose();
        return (read, errors, journal);
    }

    private static void Truncate(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.SetLength(length);
    }
}
