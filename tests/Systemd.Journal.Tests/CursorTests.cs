using System.Globalization;
using System.Text;
using JournalPump.Testing;

namespace Systemd.Journal.Tests;

[Category("Integration")]
public sealed class CursorTests
{
    [Test]
    public void Resuming_from_a_cursor_after_reopening_loses_and_repeats_nothing()
    {
        var random = new Random(42);
        var seen = new List<ulong>();
        string? cursor = null;
        while (true)
        {
            using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
            if (cursor is not null)
            {
                journal.SeekCursor(cursor);
                Assert.That(journal.MoveNext(), Is.True);
                Assert.That(journal.TestCursor(cursor), Is.True, "the seek lands on the cursor's own entry");
            }

            int chunk = random.Next(1, 20_000);
            int read = 0;
            while (read < chunk && journal.MoveNext())
            {
                seen.Add(journal.GetRealtimeMicroseconds());
                cursor = journal.GetCursor();
                read++;
            }

            if (read < chunk)
            {
                break;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Has.Count.EqualTo(SharedCorpus.TotalEntries));
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.Ordered.Ascending);
        }
    }

    [Test]
    public void A_malformed_cursor_is_rejected_with_EINVAL()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        var e = Assert.Throws<JournalException>(() => journal.SeekCursor("this is not a cursor"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(22));
            Assert.That(e.Function, Is.EqualTo("sd_journal_seek_cursor"));
            Assert.That(e.Message, Does.Contain("sd_journal_seek_cursor").And.Contain("Invalid argument"));
        }
    }

    [Test]
    public void The_cursor_of_a_vacuumed_file_lands_on_the_next_entry_and_does_not_test_equal()
    {
        using var builder = new JournalFileBuilder("vacuum");
        string older = builder.Add(TestCorpus.Generate(0, 100), "older.journal");
        builder.Add(TestCorpus.Generate(100, 100), "newer.journal");

        string cursor;
        using (var journal = Journal.OpenDirectory(builder.Directory))
        {
            journal.Skip(51);
            cursor = journal.GetCursor();
        }

        File.Delete(older);

        using (var journal = Journal.OpenDirectory(builder.Directory))
        {
            journal.SeekCursor(cursor);
            Assert.That(journal.MoveNext(), Is.True);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(journal.TestCursor(cursor), Is.False, "the entry is gone: the reader is told so");
                Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(100)), "and stands at the oldest entry still there");
            }
        }
    }

    [Test]
    public void Seeking_head_tail_time_and_skipping_move_where_expected()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        using (Assert.EnterMultipleScope())
        {
            journal.SeekHead();
            Assert.That(journal.MoveNext(), Is.True);
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(0)));
            Assert.That(journal.MovePrevious(), Is.False, "nothing before the first entry");

            Assert.That(journal.Skip(10), Is.EqualTo(10));
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(10)));
            Assert.That(journal.Skip(-3), Is.EqualTo(-3));
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(7)));

            journal.SeekTail();
            Assert.That(journal.MovePrevious(), Is.True);
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(SharedCorpus.HugeIndex)));
            Assert.That(journal.MoveNext(), Is.False, "nothing after the last entry");

            journal.SeekRealtime(Realtime(5000));
            Assert.That(journal.MoveNext(), Is.True);
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(5000)));

            journal.SeekRealtime(DateTimeOffset.UnixEpoch.AddTicks((long)Realtime(6000) * 10));
            Assert.That(journal.MoveNext(), Is.True);
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(6000)));

            var boot = Guid.ParseExact(TestCorpus.BootId, "N");
            journal.SeekMonotonic(boot, 5_000_000_000UL + (7000 * 1000) + 1);
            Assert.That(journal.MoveNext(), Is.True);
            Assert.That(journal.GetMonotonic(), Is.EqualTo(new JournalMonotonicTimestamp(5_000_000_000UL + (7000 * 1000) + 1, boot)));
            Assert.That(journal.GetRealtimeMicroseconds(), Is.EqualTo(Realtime(7000)));
        }
    }

    [Test]
    public void The_cursor_as_UTF8_bytes_is_the_cursor_string()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        journal.Skip(3);
        Span<byte> buffer = stackalloc byte[256];
        int length = journal.GetCursor(buffer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetString(buffer[..length]), Is.EqualTo(journal.GetCursor()));
            Assert.That(() => journal.GetCursor(new byte[8]), Throws.ArgumentException);
        }
    }

    [Test]
    public void GetCursor_without_a_current_entry_fails_with_EADDRNOTAVAIL()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        var e = Assert.Throws<JournalException>(() => journal.GetCursor());
        Assert.That(e.Errno, Is.EqualTo(99));
    }

    internal static ulong Realtime(int index) => index == SharedCorpus.HugeIndex
        ? TestCorpus.StartRealtime + ((ulong)index * 1000)
        : ulong.Parse(Encoding.ASCII.GetString(TestCorpus.Entry(index).Fields.First(f => f.Key == "__REALTIME_TIMESTAMP").Value), CultureInfo.InvariantCulture);
}
