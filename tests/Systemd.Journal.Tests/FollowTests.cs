using System.Globalization;
using JournalPump.Testing;

namespace Systemd.Journal.Tests;

/// <summary>Follows a live journald (standalone, in a namespace of its own) while it writes, rotates and vacuums.</summary>
[Category("Integration")]
public sealed class FollowTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Following_reads_every_entry_through_rotation_and_vacuum(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        string run = Guid.NewGuid().ToString("N");
        var options = new JournalReadOptions { Follow = true, IncludeCursor = true, BufferCapacity = 64 };

        await using var entries = Journal.ReadAllAsync(
            () =>
            {
                var journal = Journal.OpenNamespace(journald.Namespace);
                journal.AddMatch("TEST_RUN", run);
                journal.SeekHead();
                return journal;
            },
            options,
            cancellationToken).GetAsyncEnumerator(cancellationToken);

        var seen = new List<int>();
        var cursors = new HashSet<string>();

        async Task ReadUntil(int count)
        {
            while (seen.Count < count)
            {
                Assert.That(await entries.MoveNextAsync(), Is.True);
                seen.Add(int.Parse(entries.Current.GetString("SEQ")!, CultureInfo.InvariantCulture));
                Assert.That(cursors.Add(entries.Current.Cursor!), Is.True, "no entry twice");
            }
        }

        void Write(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                journald.Send(("MESSAGE", $"follow test entry {i}"), ("TEST_RUN", run), ("SEQ", i.ToString(CultureInfo.InvariantCulture)), ("PRIORITY", "6"));
            }
        }

        Write(0, 300);
        await ReadUntil(300);

        journald.Rotate();
        Write(300, 600);
        await ReadUntil(600);

        // Everything in the archived files has been read: vacuum them away while following.
        journald.Rotate();
        journald.VacuumFiles(0);
        Write(600, 1000);
        await ReadUntil(1000);

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 1000)));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Reading_without_follow_completes_at_the_end_and_cancellation_stops_a_follower(CancellationToken cancellationToken)
    {
        using var builder = new JournalFileBuilder("readall");
        builder.Add(TestCorpus.Generate(0, 2500));
        int count = 0;
        await foreach (var entry in Journal.ReadAllAsync(() => Journal.OpenDirectory(builder.Directory), new JournalReadOptions { Follow = false }, cancellationToken))
        {
            Assert.That(entry.Cursor, Is.Not.Null);
            count++;
        }

        Assert.That(count, Is.EqualTo(2500));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int followed = 0;
        await Assert.ThatAsync(
            async () =>
            {
                await foreach (var entry in Journal.ReadAllAsync(() => Journal.OpenDirectory(builder.Directory), new JournalReadOptions { Follow = true }, stop.Token))
                {
                    if (++followed == 2500)
                    {
                        await stop.CancelAsync();
                    }
                }
            },
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(followed, Is.EqualTo(2500));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_open_that_fails_ends_the_enumeration_with_its_exception(CancellationToken cancellationToken)
    {
        var e = await Assert.ThrowsAsync<JournalException>(async () =>
        {
            await foreach (var entry in Journal.ReadAllAsync(() => Journal.OpenDirectory("/var/tmp/journalpump-tests/missing-dir"), cancellationToken: cancellationToken))
            {
            }
        });
        Assert.That(e!.Errno, Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(60_000)]
    public void Waiting_on_a_live_journal_returns_append_when_an_entry_arrives(CancellationToken cancellationToken)
    {
        using var journald = StandaloneJournald.Start();
        string run = Guid.NewGuid().ToString("N");
        using var journal = Journal.OpenNamespace(journald.Namespace);
        journal.AddMatch("TEST_RUN", run);
        journal.SeekTail();
        journal.MovePrevious();
        while (journal.MoveNext())
        {
        }

        journald.Send(("MESSAGE", "wake up"), ("TEST_RUN", run));
        var change = JournalChange.None;
        bool read = false;
        while (!read && !cancellationToken.IsCancellationRequested)
        {
            change = journal.Wait(TimeSpan.FromSeconds(1)) is var c && c != JournalChange.None ? c : change;
            read = journal.MoveNext();
        }

        Assert.That(read, Is.True);
        Assert.That(journal.GetFieldString("MESSAGE"), Is.EqualTo("wake up"));
        Assert.That(journal.GetFileDescriptor(), Is.GreaterThanOrEqualTo(0));
    }
}
