using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;
using JournalPump.Core.Redaction;

namespace JournalPump.Core.Tests.Filtering;

/// <summary>FsCheck properties of the filters.</summary>
public sealed class FilterPropertyTests
{
    private static readonly Gen<string> Secret =
        Gen.Elements("ab", "aab", "ba", "hunter2", "x1x", "s3cr3t", "aaaa").Select(s => s);

    // Text built from the secrets' own letters, so secrets overlap and recur.
    private static readonly Gen<string> Noise =
        Gen.Elements('a', 'b', 'x', '1', 's', '3', ' ', '=', 'é', '\n').ArrayOf().Select(chars => new string(chars));

    [Test]
    public void Redaction_never_leaves_a_matched_secret_in_the_output()
    {
        var gen =
            from secret in Secret
            from pieces in Noise.ListOf()
            from values in Gen.Choose(1, 3)
            select (secret, pieces.ToArray(), values);

        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (secret, pieces, values) = input;
            using var filter = new SecretFilter([
                new SecretFilterOptions { Pattern = "unrelated", Replacement = "x" },
                new SecretFilterOptions { Pattern = secret, Replacement = "***" },
            ]);
            var fields = new List<(string, string)>();
            for (int v = 0; v < values; v++)
            {
                fields.Add(("MESSAGE", string.Join(secret, pieces.Skip(v).Append(secret))));
            }

            fields.Add(("OTHER", "clean"));
            using var record = TestRecords.Make([.. fields]);
            filter.Apply(record);
            string json = TestRecords.Json(record);
            return !json.Contains(secret, StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void Field_filters_never_emit_a_filtered_field()
    {
        var name = Gen.Elements("PID", "_PID", "MESSAGE", "HOSTNAME", "_HOSTNAME", "SYSLOG_IDENTIFIER", "CODE_LINE", "X_Y", "__CURSORISH");
        var configured = Gen.Elements("pid", "_Pid", "message", "___hostname", "Syslog_Identifier", "timestamp", "REALTIME_TIMESTAMP", "extra", "x_y", "nope");
        var gen =
            from names in name.NonEmptyListOf()
            from fields in configured.ListOf()
            from whitelist in ArbMap.Default.GeneratorFor<bool>()
            select (names.ToArray(), fields.ToArray(), whitelist);

        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (names, fields, whitelist) = input;
            var filter = new FieldFilter(new FieldFilterOptions { Type = whitelist ? FieldFilterType.Whitelist : FieldFilterType.Blacklist, Fields = fields });
            var selected = fields.Select(f => f.TrimStart('_').ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            using var record = TestRecords.Make([.. names.Select(n => (n, "1"))]);
            string json = TestRecords.Json(record, new JournalJsonFormatterOptions
            {
                KeyFilter = filter,
                ExtraFieldValues = new System.Text.Json.Nodes.JsonObject { ["extra"] = 1 },
            });

            using var document = JsonDocument.Parse(json);
            var written = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            var all = names.Select(n => n.TrimStart('_')).Append("REALTIME_TIMESTAMP").Append("timestamp").Append("extra").Distinct(StringComparer.Ordinal);
            var expected = all.Where(k => selected.Contains(k.ToLowerInvariant()) == whitelist).ToHashSet(StringComparer.Ordinal);
            return written.All(k => selected.Contains(k.TrimStart('_').ToLowerInvariant()) == whitelist) && written.ToHashSet(StringComparer.Ordinal).SetEquals(expected);
        }).QuickCheckThrowOnFailure();
    }
}
