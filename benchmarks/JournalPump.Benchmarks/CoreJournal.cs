using JournalPump.Core.Formatting;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>
/// The journal the core benchmarks read: the same 100,000 <see cref="JournalPump.Testing.TestCorpus"/> entries in
/// 2 export streams (4 files) as <see cref="ReaderBenchmarks"/>, built once into /var/tmp and shared with it.
/// </summary>
internal static class CoreJournal
{
    public const int EntryCount = ReaderBenchmarks.EntryCount;
    public const string Directory = "/var/tmp/journalpump-bench/reader-100000";
    private const int Files = 2;

    public static string Ensure() => JournalGenerator.EnsureJournal(Directory, EntryCount, Files);

    /// <summary>Loads the first <paramref name="count"/> entries into their own records (each one owns a pooled buffer).</summary>
    public static JournalRecord[] LoadRecords(int count)
    {
        using var journal = Journal.OpenDirectory(Ensure());
        var records = new JournalRecord[count];
        for (int i = 0; i < count; i++)
        {
            if (!journal.MoveNext())
            {
                throw new InvalidOperationException($"the journal ended after {i} entries, expected at least {count}");
            }

            records[i] = new JournalRecord();
            records[i].Load(journal);
        }

        return records;
    }

    public static void Check(long entries, long expected = EntryCount)
    {
        if (entries != expected)
        {
            throw new InvalidOperationException($"processed {entries} entries, expected {expected}: OperationsPerInvoke would be wrong");
        }
    }
}
