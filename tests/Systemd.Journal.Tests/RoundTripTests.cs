using System.Globalization;
using System.Text;
using JournalPump.Testing;

namespace Systemd.Journal.Tests;

[Category("Integration")]
public sealed class RoundTripTests
{
    [Test]
    public void Every_field_of_every_entry_reads_back_byte_identical()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        int index = 0;
        var actual = new List<(string, string)>();
        while (journal.MoveNext())
        {
            actual.Clear();
            foreach (var field in journal.EnumerateFields())
            {
                actual.Add((Encoding.ASCII.GetString(field.Name), Convert.ToBase64String(field.Value)));
            }

            var expectedEntry = SharedCorpus.Expected(index);
            var expected = expectedEntry.StoredFields().Select(f => (f.Key, Convert.ToBase64String(f.Value))).ToList();
            actual.Sort();
            expected.Sort();
            if (!actual.SequenceEqual(expected))
            {
                Assert.That(actual, Is.EqualTo(expected), $"entry {index}");
            }

            string realtime = Encoding.ASCII.GetString(expectedEntry.Fields.First(f => f.Key == "__REALTIME_TIMESTAMP").Value);
            if (journal.GetRealtimeMicroseconds() != ulong.Parse(realtime, CultureInfo.InvariantCulture))
            {
                Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(ulong.Parse(realtime, CultureInfo.InvariantCulture)), $"entry {index}");
            }

            index++;
        }

        Assert.That(index, Is.EqualTo(SharedCorpus.TotalEntries));
    }

    [Test]
    public void Snapshot_keeps_repeated_names_binary_values_and_timestamps()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        journal.Skip(34); // entry 33 has TAG three times
        var entry = journal.ReadEntry(includeCursor: true);
        var binaryEntry = SkipTo(journal, 13 + 50);
        var nonUtf8 = SkipTo(journal, 21 + 100);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.GetValues("TAG").Select(v => Encoding.UTF8.GetString(v.Span)), Is.EquivalentTo(new[] { "alpha", "beta", "gamma 33" }));
            Assert.That(entry.Cursor, Does.StartWith("s="));
            Assert.That(entry.Monotonic.BootId.ToString("N"), Is.EqualTo(TestCorpus.BootId));
            Assert.That(entry.Monotonic.Microseconds, Is.EqualTo(5_000_000_000UL + (33 * 1000) + 1));
            ulong realtime = ulong.Parse(TestCorpus.Entry(33).Fields.First(f => f.Key == "__REALTIME_TIMESTAMP").Value.AsSpan(), CultureInfo.InvariantCulture);
            Assert.That(entry.RealtimeMicroseconds, Is.EqualTo(realtime));
            Assert.That(entry.Realtime, Is.EqualTo(DateTimeOffset.UnixEpoch.AddTicks((long)realtime * 10)));
            Assert.That(entry.GetString("NO_SUCH_FIELD"), Is.Null);

            var expectedBlob = TestCorpus.Entry(63).Fields.First(f => f.Key == "BINARY_BLOB").Value;
            Assert.That(binaryEntry.TryGetValue("BINARY_BLOB", out var blob), Is.True);
            Assert.That(blob.ToArray(), Is.EqualTo(expectedBlob));
            Assert.That(nonUtf8.TryGetValue("MESSAGE", out var raw), Is.True);
            Assert.That(raw.ToArray(), Is.EqualTo(TestCorpus.Entry(121).Fields.First(f => f.Key == "MESSAGE").Value));
        }
    }

    [Test]
    public void Field_over_one_MiB_is_read_whole()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        journal.SeekTail();
        Assert.That(journal.MovePrevious(), Is.True);
        byte[] expected = SharedCorpus.Expected(SharedCorpus.HugeIndex).Fields.First(f => f.Key == "MESSAGE").Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(journal.DataThreshold, Is.Zero);
            Assert.That(journal.TryGetField("MESSAGE"u8, out var message), Is.True);
            Assert.That(message.Length, Is.GreaterThan(1 << 20));
            Assert.That(message.SequenceEqual(expected), Is.True);
        }
    }

    [Test]
    public void TryGetField_finds_a_field_and_reports_a_missing_one()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        Assert.That(journal.MoveNext(), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(journal.TryGetField("_HOSTNAME"u8, out var host), Is.True);
            Assert.That(Encoding.ASCII.GetString(host), Is.EqualTo("test-host"));
            Assert.That(journal.TryGetField("NOT_THERE"u8, out var missing), Is.False);
            Assert.That(missing.IsEmpty, Is.True);
            Assert.That(journal.GetFieldString("_SYSTEMD_UNIT"), Is.EqualTo("ssh.service"));
            Assert.That(() => journal.TryGetField("BAD=NAME"u8, out _), Throws.ArgumentException);
        }
    }

    [Test]
    public void Multi_line_values_come_back_with_their_newlines()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        journal.Skip(8); // entry 7 is multi-line
        Assert.That(journal.GetFieldString("MESSAGE"), Is.EqualTo("first line of 7\n  second line\n\tthird line"));
    }

    private static JournalEntry SkipTo(Journal journal, int index)
    {
        journal.SeekHead();
        journal.Skip(index + 1);
        return journal.ReadEntry();
    }
}
