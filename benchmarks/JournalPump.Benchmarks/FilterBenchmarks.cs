// Latest figures (2026-11-25 18:04 UTC, default job; AMD EPYC 2.6 GHz, 2 cores, shared: load average 2.8 to 7.2
// during the run; .NET 10.0.12, BenchmarkDotNet 0.15.8; the first 2,000 TestCorpus entries as records in memory;
// per entry: OperationsPerInvoke = records):
//
// | Method                  | Mean      | Error    | StdDev    | Ratio | RatioSD | Gen0   | Allocated |
// |------------------------ |----------:|---------:|----------:|------:|--------:|-------:|----------:|
// | Baseline                |  42.16 ns | 0.843 ns |  0.747 ns |  1.00 |    0.02 |      - |         - |
// | Search                  | 336.38 ns | 2.139 ns |  1.786 ns |  7.98 |    0.14 | 0.0068 |     116 B |
// | MatchKeyValue           |  51.72 ns | 1.013 ns |  1.126 ns |  1.23 |    0.03 |      - |         - |
// | SecretFiltersNoMatch    | 343.79 ns | 6.809 ns |  9.981 ns |  8.16 |    0.27 |      - |       6 B |
// | SecretFiltersOnePercent | 409.76 ns | 8.014 ns | 16.904 ns |  9.72 |    0.43 | 0.0005 |       9 B |
// | UnitLogLevels           | 113.40 ns | 1.428 ns |  1.192 ns |  2.69 |    0.05 |      - |         - |
// | FieldFilterEveryKey     | 618.80 ns | 5.689 ns |  5.043 ns | 14.68 |    0.27 |      - |         - |
// | Chain                   | 382.77 ns | 4.292 ns |  4.015 ns |  9.08 |    0.18 | 0.0068 |     117 B |
//
// The search hits 131 of the 2,000 records (6.5%), the match 250, unit_log_levels keeps 1,500. What allocates
// (GC.GetAllocatedBytesForCurrentThread around each call): a search hit about 1,530 B (tag list, group strings,
// the Match), and the first miss after a hit 232 to 264 B (SearchFilter.cs:259 gives the regex runner's cached
// Match away, so the next IsMatch builds a new one); secret filters 312 B for each non-UTF-8 MESSAGE (2% of the
// corpus: SecretFilter.cs:197 builds the b'...' string before any pattern runs), nothing for other misses.

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;
using JournalPump.Core.Redaction;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>
/// Each filter alone, on the first <see cref="RecordCount"/> entries of the <see cref="CoreJournal"/>, loaded
/// once into their own <see cref="JournalRecord"/>s in the setup: the journal and the conversion are not in
/// the loop, so the figures are the filter's own cost. <c>OperationsPerInvoke</c> is the record count, so
/// Mean and Allocated are per entry. <see cref="Baseline"/> is the floor: one key lookup per record (the
/// records do not all fit in the CPU caches, which a pipeline's freshly loaded record does).
/// </summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    public const int RecordCount = 2_000;

    /// <summary>One entry in <see cref="SecretEvery"/> holds a secret in the redacting benchmark.</summary>
    private const int SecretEvery = 100;

    private static readonly string[] SecretMessages =
    [
        "login ok for user alice password=hunter2-correct-horse from 10.1.2.3",
        "GET /api/v1/items?api_key=sk_live_4eC39HqLyjWDarjtT1zdp7dc status 200 latency 12 ms",
    ];

    private JournalRecord[] _records = null!;
    private JournalRecord[] _seeded = null!;
    private (byte[] Name, byte[] Value)[][] _seededFields = null!;
    private ulong[] _seededRealtime = null!;
    private SearchFilter _search = null!;
    private MatchFilter _match = null!;
    private SecretFilter _secrets = null!;
    private UnitLogLevelFilter _unitLogLevels = null!;
    private FieldFilter _fieldFilter = null!;
    private EntryFilterChain _chain = null!;

    [GlobalSetup]
    public void Setup()
    {
        _records = CoreJournal.LoadRecords(RecordCount);

        // journalpump's searches: a pattern with named groups on MESSAGE (about 5% of TestCorpus entries).
        _search = new SearchFilter([ApiSearch()]);

        // match_key/match_value on the renamed unit (1 entry in 8 of TestCorpus).
        _match = new MatchFilter("SYSTEMD_UNIT", JsonValue.Create("nginx.service"));

        // Two realistic secret_filters: passwords and API keys. No TestCorpus message holds one.
        _secrets = new SecretFilter(SecretFilters());

        // unit_log_levels with 3 globs; the strictest matching rule wins.
        _unitLogLevels = new UnitLogLevelFilter(
        [
            new UnitLogLevelRule { ServiceGlob = "ssh*", LogLevel = JournalPriority.Info },
            new UnitLogLevelRule { ServiceGlob = "postgresql@*", LogLevel = JournalPriority.Warning },
            new UnitLogLevelRule { ServiceGlob = "kafka*", LogLevel = JournalPriority.Error },
        ]);

        // field_filters: a 10-name whitelist, asked about every key of every record (what the formatter does).
        _fieldFilter = new FieldFilter(new FieldFilterOptions
        {
            Type = FieldFilterType.Whitelist,
            Fields = ["MESSAGE", "PRIORITY", "SYSTEMD_UNIT", "SYSLOG_IDENTIFIER", "PID", "HOSTNAME", "timestamp", "source", "env", "cluster"],
        });

        // A reader's whole chain: the search, a reader match passing everything, the two secret filters.
        _chain = new EntryFilterChain(new EntryFilterChainOptions
        {
            ReaderName = "bench",
            Searches = [ApiSearch()],
            SecretFilters = SecretFilters(),
            SecretFilterMetrics = true,
        });

        SeedSecrets();
        ReportRates();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var record in _records.Concat(_seeded))
        {
            record.Dispose();
        }

        _search.Dispose();
        _secrets.Dispose();
        _chain.Dispose();
    }

    /// <summary>The floor: find <c>MESSAGE</c> in each record.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RecordCount)]
    public long Baseline()
    {
        long sum = 0;
        foreach (var record in _records)
        {
            sum += record.IndexOf("MESSAGE"u8);
        }

        return sum;
    }

    /// <summary><c>searches</c>: one search, <c>(?P&lt;method&gt;GET|POST) (?P&lt;path&gt;/api/\S+)</c> on MESSAGE.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long Search()
    {
        long hits = 0;
        foreach (var record in _records)
        {
            hits += _search.Apply(record) ? 1 : 0;
        }

        return hits;
    }

    /// <summary><c>match_key: SYSTEMD_UNIT</c>, <c>match_value: "nginx.service"</c>.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long MatchKeyValue()
    {
        long hits = 0;
        foreach (var record in _records)
        {
            hits += _match.Matches(record) ? 1 : 0;
        }

        return hits;
    }

    /// <summary><c>secret_filters</c> (passwords, API keys) on messages that hold no secret: the common case.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long SecretFiltersNoMatch()
    {
        long redacted = 0;
        foreach (var record in _records)
        {
            redacted += _secrets.Apply(record) ? 1 : 0;
        }

        return redacted;
    }

    /// <summary>
    /// The same filters when 1 entry in 100 holds a secret (alternately a password and an API key). Each redacted record is
    /// rebuilt from its fields afterwards (<see cref="JournalRecord.AddField"/>, <see cref="JournalRecord.Complete"/>),
    /// so every operation redacts again; the rebuild is in the figure.
    /// </summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long SecretFiltersOnePercent()
    {
        long redacted = 0;
        var records = _seeded;
        for (int i = 0; i < records.Length; i++)
        {
            if (_secrets.Apply(records[i]))
            {
                redacted++;
                Rebuild(i);
            }
        }

        if (redacted != RecordCount / SecretEvery)
        {
            throw new InvalidOperationException($"redacted {redacted} entries, expected {RecordCount / SecretEvery}");
        }

        return redacted;
    }

    /// <summary><c>unit_log_levels</c> with 3 globs (<c>ssh*</c>, <c>postgresql@*</c>, <c>kafka*</c>).</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long UnitLogLevels()
    {
        long kept = 0;
        foreach (var record in _records)
        {
            kept += _unitLogLevels.Includes(record) ? 1 : 0;
        }

        return kept;
    }

    /// <summary>A whitelist <c>field_filter</c> asked about every key of the record (about 25 per entry).</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long FieldFilterEveryKey()
    {
        long kept = 0;
        foreach (var record in _records)
        {
            for (int k = 0; k < record.Count; k++)
            {
                kept += _fieldFilter.Includes(record[k].Key) ? 1 : 0;
            }
        }

        return kept;
    }

    /// <summary>The reader's <see cref="EntryFilterChain"/>: the search, then the secret filters on the entries it forwards.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long Chain()
    {
        long forwarded = 0;
        foreach (var record in _records)
        {
            forwarded += _chain.Apply(record) == EntryFilterOutcome.Forward ? 1 : 0;
        }

        return forwarded;
    }

    private static SearchOptions ApiSearch() => new()
    {
        Name = "api.request",
        Fields = new Dictionary<string, string> { ["MESSAGE"] = @"(?P<method>GET|POST) (?P<path>/api/\S+)" },
    };

    private static SecretFilterOptions[] SecretFilters() =>
    [
        new SecretFilterOptions { Pattern = @"(?i)(password|passwd|pwd)\s*[=:]\s*\S+", Replacement = @"\1=[REDACTED]" },
        new SecretFilterOptions { Pattern = @"(?i)(api[_-]?key|access[_-]?token|secret)\s*[=:]\s*[A-Za-z0-9_\-]{8,}", Replacement = @"\1=[REDACTED]" },
    ];

    /// <summary>A second set of records, one in <see cref="SecretEvery"/> with a secret in MESSAGE, keeping their fields for <see cref="Rebuild"/>.</summary>
    private void SeedSecrets()
    {
        _seeded = CoreJournal.LoadRecords(RecordCount);
        _seededFields = new (byte[], byte[])[RecordCount][];
        _seededRealtime = new ulong[RecordCount];
        using var journal = Journal.OpenDirectory(CoreJournal.Ensure());
        for (int i = 0; i < RecordCount; i++)
        {
            if (!journal.MoveNext())
            {
                throw new InvalidOperationException("the journal is shorter than the records");
            }

            if (i % SecretEvery != SecretEvery / 2)
            {
                continue;
            }

            byte[] message = Encoding.UTF8.GetBytes(SecretMessages[i / SecretEvery % SecretMessages.Length]);
            var entry = journal.ReadEntry();
            _seededFields[i] = [.. entry.Fields.Select(f => (Encoding.UTF8.GetBytes(f.Name), f.Name == "MESSAGE" ? message : f.Value.ToArray()))];
            _seededRealtime[i] = entry.RealtimeMicroseconds;
            Rebuild(i);
        }
    }

    private void Rebuild(int i)
    {
        var record = _seeded[i];
        record.Clear();
        foreach (var (name, value) in _seededFields[i])
        {
            record.AddField(name, value);
        }

        record.Complete(_seededRealtime[i]);
    }

    private void ReportRates()
    {
        long search = Search();
        long match = MatchKeyValue();
        long levels = UnitLogLevels();
        long chain = Chain();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// FilterBenchmarks: of {RecordCount} records, search hits {search} ({100.0 * search / RecordCount:F1}%), match {match}, unit_log_levels keeps {levels}, chain forwards {chain}, secret filters redact {SecretFiltersNoMatch()} (seeded: {SecretFiltersOnePercent()})"));
    }
}
