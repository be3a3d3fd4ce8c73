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

        var (read, errors) = ReadAll(builder.Directory);
        TestContext.Out.WriteLine($"read {read.Count} entries, {errors.Count} reported errors: {string.Join("; ", errors.Select(e => e.Message).Distinct())}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.SupersetOf(Enumerable.Range(2000, 500).Select(CursorTests.Realtime)), "every entry of the healthy file is read");
            Assert.That(read, Is.Unique);
            Assert.That(errors, Is.Empty.Or.All.Property(nameof(JournalException.IsCorruption)).True);
        }
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

        var (read, errors) = ReadAll(builder.Directory);
        TestContext.Out.WriteLine($"read {read.Count} entries, {errors.Count} reported errors: {string.Join("; ", errors.Select(e => e.Message).Distinct())}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.SupersetOf(Enumerable.Range(3000, 500).Select(CursorTests.Realtime)), "every entry of the healthy file is read");
            Assert.That(read.Count + errors.Count, Is.GreaterThan(500));
            Assert.That(errors, Is.Empty.Or.All.Property(nameof(JournalException.IsCorruption)).True);
        }
    }

    /// <summary>Reads everything, as a pump would: a corrupted entry is reported and skipped.</summary>
    private static (List<ulong> Read, List<JournalException> Errors) ReadAll(string directory)
    {
        var read = new List<ulong>();
        var errors = new List<JournalException>();
        using var journal = Journal.OpenDirectory(directory);
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

        return (read, errors);
    }

    private static void Truncate(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.SetLength(length);
    }
}
