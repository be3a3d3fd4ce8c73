using JournalPump.Testing;

namespace Systemd.Journal.Tests;

[Category("Integration")]
public sealed class SafetyTests
{
    [Test]
    public void A_journal_used_from_another_thread_throws_and_names_both_threads()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        Exception? caught = null;
        var other = new Thread(() =>
        {
            try
            {
                journal.MoveNext();
            }
            catch (InvalidOperationException e)
            {
                caught = e;
            }
        });
        other.Start();
        other.Join();

        Assert.That(caught, Is.TypeOf<InvalidOperationException>());
        Assert.That(caught!.Message, Does.Contain("thread that opened it").And.Contain(journal.OwnerThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(journal.MoveNext(), Is.True, "the owner thread still reads");
    }

    [Test]
    public void Dispose_from_another_thread_throws_and_leaves_the_journal_open()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        Exception? caught = null;
        var other = new Thread(() =>
        {
            try
            {
                journal.Dispose();
            }
            catch (InvalidOperationException e)
            {
                caught = e;
            }
        });
        other.Start();
        other.Join();
        Assert.That(caught, Is.TypeOf<InvalidOperationException>());
        Assert.That(journal.MoveNext(), Is.True);
    }

    [Test]
    public void A_disposed_journal_throws_ObjectDisposedException_and_Dispose_is_idempotent()
    {
        var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        journal.Dispose();
        journal.Dispose();
        Assert.That(() => journal.MoveNext(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void A_field_enumeration_that_outlives_a_move_throws_instead_of_returning_stale_data()
    {
        using var journal = Journal.OpenDirectory(SharedCorpus.Directory);
        journal.MoveNext();
        var fields = journal.EnumerateFields();
        Assert.That(fields.MoveNext(), Is.True);
        journal.MoveNext();
        InvalidOperationException? caught = null;
        try
        {
            fields.MoveNext();
        }
        catch (InvalidOperationException e)
        {
            caught = e;
        }

        Assert.That(caught?.Message, Does.Contain("moved"));
    }

    [Test]
    public void Opening_a_missing_directory_names_the_call_and_the_path()
    {
        var e = Assert.Throws<JournalException>(() => Journal.OpenDirectory("/var/tmp/journalpump-tests/does-not-exist"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(2));
            Assert.That(e.Message, Does.Contain("sd_journal_open_directory").And.Contain("does-not-exist").And.Contain("No such file or directory"));
        }
    }

    [Test]
    public void Opening_a_file_that_is_not_a_journal_fails_with_an_errno()
    {
        using var builder = new JournalFileBuilder("notajournal");
        string path = Path.Combine(builder.Directory, "garbage.journal");
        File.WriteAllBytes(path, new byte[4096]);
        var e = Assert.Throws<JournalException>(() => Journal.OpenFiles([path]));
        Assert.That(e.Function, Is.EqualTo("sd_journal_open_files"));
    }

    [Test]
    public void The_library_is_found_on_this_machine()
    {
        Assert.That(Journal.IsSupported, Is.True);
    }
}
