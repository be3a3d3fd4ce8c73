using System.Text;
using JournalPump.Testing;

namespace Systemd.Journal.Tests;

[Category("Integration")]
public sealed class MatchAndQueryTests
{
    private static JournalFileBuilder _builder = null!;

    [OneTimeSetUp]
    public static void BuildJournal()
    {
        _builder = new JournalFileBuilder("match");
        _builder.Add(TestCorpus.Generate(0, 800));
    }

    [OneTimeTearDown]
    public static void DeleteJournal() => _builder.Dispose();

    [Test]
    public void Matches_on_one_field_are_ORed_and_on_different_fields_ANDed()
    {
        using var journal = Journal.OpenDirectory(_builder.Directory);
        journal.AddMatch("_SYSTEMD_UNIT", "ssh.service");
        journal.AddMatch("_SYSTEMD_UNIT", "cron.service");
        journal.AddMatch("PRIORITY=0"u8);
        var units = ReadUnits(journal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(units, Is.Not.Empty);
            Assert.That(units.Distinct(), Is.SubsetOf(new[] { "ssh.service", "cron.service" }));
            Assert.That(units, Has.Count.EqualTo(Expected(e => e.Unit is "ssh.service" or "cron.service" && e.Priority == "0")));
        }
    }

    [Test]
    public void A_disjunction_ORs_groups_and_a_conjunction_ANDs_them()
    {
        using var journal = Journal.OpenDirectory(_builder.Directory);
        journal.AddMatch("_SYSTEMD_UNIT", "ssh.service");
        journal.AddMatch("PRIORITY", "0");
        journal.AddDisjunction();
        journal.AddMatch("_SYSTEMD_UNIT", "nginx.service");
        int or = ReadUnits(journal).Count;

        journal.FlushMatches();
        journal.SeekHead();
        journal.AddMatch("_SYSTEMD_UNIT", "ssh.service");
        journal.AddConjunction();
        journal.AddMatch("PRIORITY", "0");
        int and = ReadUnits(journal).Count;

        journal.FlushMatches();
        journal.SeekHead();
        int all = ReadUnits(journal).Count;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(or, Is.EqualTo(Expected(e => (e.Unit == "ssh.service" && e.Priority == "0") || e.Unit == "nginx.service")));
            Assert.That(and, Is.EqualTo(Expected(e => e.Unit == "ssh.service" && e.Priority == "0")));
            Assert.That(all, Is.EqualTo(800));
        }
    }

    [Test]
    public void Matches_compare_raw_bytes()
    {
        using var journal = Journal.OpenDirectory(_builder.Directory);
        byte[] nonUtf8 = TestCorpus.Entry(21).Fields.First(f => f.Key == "MESSAGE").Value;
        journal.AddMatch("MESSAGE", nonUtf8);
        Assert.That(ReadUnits(journal), Has.Count.EqualTo(800 / 50));
    }

    [Test]
    public void Invalid_matches_are_rejected()
    {
        using var journal = Journal.OpenDirectory(_builder.Directory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => journal.AddMatch("no equals sign"u8), Throws.ArgumentException);
            Assert.That(() => journal.AddMatch("=value"u8), Throws.ArgumentException);
            Assert.That(() => journal.AddMatch("lower_case", "x"), Throws.TypeOf<JournalException>().With.Property(nameof(JournalException.Errno)).EqualTo(22));
        }
    }

    [Test]
    public void Tooling_queries_list_fields_unique_values_usage_and_cutoffs()
    {
        using var journal = Journal.OpenDirectory(_builder.Directory);
        var names = journal.GetFieldNames();
        var units = journal.GetUniqueValues("_SYSTEMD_UNIT").Select(v => Encoding.UTF8.GetString(v)).ToList();
        var realtime = journal.GetRealtimeCutoff();
        var monotonic = journal.GetMonotonicCutoff(Guid.ParseExact(TestCorpus.BootId, "N"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Does.Contain("MESSAGE").And.Contain("_SYSTEMD_UNIT").And.Contain("BINARY_BLOB"));
            Assert.That(units, Is.EquivalentTo(Enumerable.Range(0, 8).Select(i => Unit(i)).Distinct()));
            Assert.That(journal.GetDiskUsage(), Is.GreaterThan(0));
            Assert.That(realtime, Is.Not.Null);
            Assert.That(realtime!.Value.FromMicroseconds, Is.EqualTo(CursorTests.Realtime(0)));
            Assert.That(realtime.Value.ToMicroseconds, Is.EqualTo(CursorTests.Realtime(799)));
            Assert.That(monotonic, Is.EqualTo(new JournalTimeRange(5_000_000_001, 5_000_000_000 + (799 * 1000) + 1)));
            Assert.That(journal.GetMonotonicCutoff(Guid.NewGuid()), Is.Null);
            Assert.That(journal.HasPersistentFiles, Is.True, "the directory is under /var");
        }
    }

    private static List<string> ReadUnits(Journal journal)
    {
        var units = new List<string>();
        while (journal.MoveNext())
        {
            units.Add(journal.GetFieldString("_SYSTEMD_UNIT")!);
        }

        return units;
    }

    private static int Expected(Func<(string Unit, string Priority), bool> predicate) =>
        Enumerable.Range(0, 800).Select(i =>
        {
            var fields = TestCorpus.Entry(i).Fields;
            return (Encoding.UTF8.GetString(fields.First(f => f.Key == "_SYSTEMD_UNIT").Value), Encoding.UTF8.GetString(fields.First(f => f.Key == "PRIORITY").Value));
        }).Count(predicate);

    private static string Unit(int i) => Encoding.UTF8.GetString(TestCorpus.Entry(i).Fields.First(f => f.Key == "_SYSTEMD_UNIT").Value);
}
