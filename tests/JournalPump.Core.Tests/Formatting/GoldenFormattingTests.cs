using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;
using JournalPump.Testing;
using Systemd.Journal;

namespace JournalPump.Core.Tests.Formatting;

/// <summary>
/// Every golden case: build the journal from input.export with systemd-journal-remote, read it with
/// Systemd.Journal, format each entry with the sender's formatting settings and compare with what
/// journalpump wrote, byte for byte.
/// </summary>
public sealed class GoldenFormattingTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string name in GoldenCases.Names())
        {
            yield return new TestCaseData(name).SetName("Golden_case_is_byte_identical(" + name + ")");
        }
    }

    [Test]
    public void Golden_cases_are_found() =>
        Assert.That(GoldenCases.Names().Count(), Is.GreaterThanOrEqualTo(19), "golden folder: " + GoldenCases.Root);

    [TestCaseSource(nameof(Cases))]
    public void Golden_case_is_byte_identical(string name)
    {
        string caseDir = Path.Combine(GoldenCases.Root, name);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(caseDir, "config.json")))!.AsObject();
        var reader = config["readers"]!["golden"]!.AsObject();
        var sender = reader["senders"]!["out"]!.AsObject();
        using var metrics = new RecordingMetrics(config);
        using var chain = GoldenFilters.Chain(config, reader, metrics);
        var senderFilter = GoldenFilters.Sender(config, sender);
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions
        {
            ExtraFieldValues = sender["extra_field_values"]?.DeepClone().AsObject(),
            KeyFilter = senderFilter.FieldFilter,
        });

        using var builder = new JournalFileBuilder(name);
        builder.AddExportFile(Path.Combine(caseDir, "input.export"), "golden.journal");
        var output = new ArrayBufferWriter<byte>();
        using (var journal = Journal.OpenDirectory(builder.Directory))
        using (var record = new JournalRecord())
        {
            // units_to_match is a libsystemd match on the reader, not a filter on records.
            GoldenFilters.Units(reader).ApplyTo(journal);
            while (journal.MoveNext())
            {
                record.Load(journal);
                if (chain.Apply(record) != EntryFilterOutcome.Forward || !senderFilter.Accepts(record))
                {
                    continue;
                }

                formatter.Format(record, output);
                output.Write("\n"u8);
            }
        }

        chain.EmitSecretFilterMetrics();
        byte[] expected = File.ReadAllBytes(Path.Combine(caseDir, "expected.jsonl"));
        AssertSameLines(output.WrittenSpan.ToArray(), expected);

        // The filters' own metrics (search counters, journal.secret_filter_match); the periodic gauges are the pipeline's.
        string metricsFile = Path.Combine(caseDir, "expected-metrics.txt");
        var expectedMetrics = File.Exists(metricsFile)
            ? File.ReadAllLines(metricsFile).Where(l => l.Length > 0 && !GoldenFilters.IsPeriodic(l)).Order(StringComparer.Ordinal).ToList()
            : [];
        Assert.That(metrics.Datagrams.Order(StringComparer.Ordinal).ToList(), Is.EqualTo(expectedMetrics), "filter metrics");
    }

    [Test]
    public void Loading_and_formatting_journal_entries_allocates_nothing_once_warm()
    {
        using var builder = new JournalFileBuilder("alloc");
        builder.AddExportFile(Path.Combine(GoldenCases.Root, "plain-entries", "input.export"), "golden.journal");
        using var journal = Journal.OpenDirectory(builder.Directory);
        using var record = new JournalRecord();
        var formatter = new JournalJsonFormatter();
        var output = new ArrayBufferWriter<byte>(1 << 16);
        Assert.That(journal.MoveNext(), Is.True);
        for (int i = 0; i < 3; i++)
        {
            LoadAndFormat();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            LoadAndFormat();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        void LoadAndFormat()
        {
            record.Load(journal);
            output.ResetWrittenCount();
            formatter.Format(record, output);
        }
    }

    private static void AssertSameLines(byte[] actual, byte[] expected)
    {
        if (actual.AsSpan().SequenceEqual(expected))
        {
            return;
        }

        var actualLines = Split(actual);
        var expectedLines = Split(expected);
        for (int i = 0; i < Math.Min(actualLines.Count, expectedLines.Count); i++)
        {
            if (!actualLines[i].AsSpan().SequenceEqual(expectedLines[i]))
            {
                int at = actualLines[i].AsSpan().CommonPrefixLength(expectedLines[i]);
                Assert.Fail($"line {i + 1} differs at byte {at}:\n  actual:   {Excerpt(actualLines[i], at)}\n  expected: {Excerpt(expectedLines[i], at)}");
            }
        }

        Assert.That(actualLines, Has.Count.EqualTo(expectedLines.Count), "number of lines");
    }

    private static List<byte[]> Split(byte[] bytes)
    {
        var lines = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 1;
            }
        }

        if (start < bytes.Length)
        {
            lines.Add(bytes[start..]);
        }

        return lines;
    }

    private static string Excerpt(byte[] line, int at)
    {
        int from = Math.Max(0, at - 80);
        int to = Math.Min(line.Length, at + 120);
        return Encoding.UTF8.GetString(line, from, to - from);
    }
}
