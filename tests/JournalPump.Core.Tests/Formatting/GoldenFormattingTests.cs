using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
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
    // Cases whose output depends on filtering that is not formatting (issue 4 section 2).
    private static readonly Dictionary<string, string> NeedsFilters = new(StringComparer.Ordinal)
    {
        ["match-key-reader"] = "needs reader match_key/match_value: issue 4 section 2",
        ["searches-named-groups"] = "needs searches (they restrict forwarding): issue 4 section 2",
        ["secret-filters-backrefs-metrics"] = "needs secret filters: issue 4 section 2",
        ["secret-filters-simple"] = "needs secret filters: issue 4 section 2",
        ["unit-log-levels"] = "needs unit log levels: issue 4 section 2",
    };

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string name in GoldenCases.Names())
        {
            var data = new TestCaseData(name).SetName("Golden_case_is_byte_identical(" + name + ")");
            if (NeedsFilters.TryGetValue(name, out string? reason))
            {
                data.Ignore(reason);
            }

            yield return data;
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
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions
        {
            ExtraFieldValues = sender["extra_field_values"]?.DeepClone().AsObject(),
            KeyFilter = ConfigFieldFilter.FromConfig(config, sender["field_filter"]?.GetValue<string>()),
        });

        using var builder = new JournalFileBuilder(name);
        builder.AddExportFile(Path.Combine(caseDir, "input.export"), "golden.journal");
        var output = new ArrayBufferWriter<byte>();
        using (var journal = Journal.OpenDirectory(builder.Directory))
        using (var record = new JournalRecord())
        {
            // units_to_match is a libsystemd match on the reader, not a filter on records.
            if (reader["units_to_match"] is JsonArray units)
            {
                foreach (var unit in units)
                {
                    journal.AddMatch("_SYSTEMD_UNIT", unit!.GetValue<string>());
                }
            }

            while (journal.MoveNext())
            {
                record.Load(journal);
                formatter.Format(record, output);
                output.Write("\n"u8);
            }
        }

        byte[] expected = File.ReadAllBytes(Path.Combine(caseDir, "expected.jsonl"));
        AssertSameLines(output.WrittenSpan.ToArray(), expected);
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

    /// <summary>
    /// A minimal field filter built from the case's config (spec 5.7), only to prove the formatter's
    /// key-filter hook on the golden field-filter cases; the product filter is built in issue 4 section 2.
    /// </summary>
    private sealed class ConfigFieldFilter : IJournalKeyFilter
    {
        private readonly HashSet<string> _fields;
        private readonly bool _whitelist;

        private ConfigFieldFilter(HashSet<string> fields, bool whitelist)
        {
            _fields = fields;
            _whitelist = whitelist;
        }

        public static ConfigFieldFilter? FromConfig(JsonObject config, string? name)
        {
            if (name is null)
            {
                return null;
            }

            var definition = config["field_filters"]![name]!;
            var fields = definition["fields"]!.AsArray().Select(f => Normalise(f!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
            return new ConfigFieldFilter(fields, (definition["type"]?.GetValue<string>() ?? "whitelist") == "whitelist");
        }

        public bool Includes(ReadOnlySpan<byte> key) => _fields.Contains(Normalise(Encoding.UTF8.GetString(key))) == _whitelist;

        private static string Normalise(string name) => name.TrimStart('_').ToLowerInvariant();
    }
}
