using System.Text.Json.Nodes;
using JournalPump.Core.Filtering;
using JournalPump.Core.Metrics;
using JournalPump.Core.Redaction;
using JournalPump.Core.Tests.Formatting;

namespace JournalPump.Core.Tests.Filtering;

public sealed class EntryFilterChainTests
{
    private static EntryFilterChain Make(RecordingMetrics metrics, MatchFilter? pump = null, MatchFilter? reader = null, bool secretMetrics = true) =>
        new(
            new EntryFilterChainOptions
            {
                ReaderName = "r",
                PumpTags = [new MetricTag("env", "prod")],
                PumpMatch = pump ?? MatchFilter.None,
                ReaderMatch = reader ?? MatchFilter.None,
                Searches = [new SearchOptions { Name = "hit", Fields = new Dictionary<string, string> { ["MESSAGE"] = "(?P<word>secret|plain)" } }],
                SecretFilters = [new SecretFilterOptions { Pattern = "secret", Replacement = "***" }],
                SecretFilterMetrics = secretMetrics,
            },
            metrics);

    [Test]
    public void Searches_run_before_the_match_filters_and_on_the_unredacted_message()
    {
        using var metrics = new RecordingMetrics();
        using var chain = Make(metrics, pump: new MatchFilter("SYSTEMD_UNIT", JsonValue.Create("other")));
        using var record = TestRecords.Make(("MESSAGE", "a secret"), ("_SYSTEMD_UNIT", "a"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.Apply(record), Is.EqualTo(EntryFilterOutcome.PumpMatchRejected));
            Assert.That(metrics.Datagrams, Is.EqualTo(new[] { "hit,word=secret,reader=r,env=prod:1|c" }));
            Assert.That(chain.Searches.GetHitCounts()["hit"], Is.EqualTo(1));
            Assert.That(TestRecords.Json(record), Does.Contain("a secret"), "a rejected entry is not redacted");
        }
    }

    [Test]
    public void Outcomes_name_the_step_that_dropped_the_entry()
    {
        using var metrics = new RecordingMetrics();
        using var chain = Make(metrics, reader: new MatchFilter("PRIORITY", JsonValue.Create(3)));
        using var noSearch = TestRecords.Make(("MESSAGE", "nothing"));
        using var wrongPriority = TestRecords.Make(("MESSAGE", "plain"), ("PRIORITY", "4"));
        using var forwarded = TestRecords.Make(("MESSAGE", "plain secret"), ("PRIORITY", "3"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.Apply(noSearch), Is.EqualTo(EntryFilterOutcome.NoSearchMatched));
            Assert.That(chain.Apply(wrongPriority), Is.EqualTo(EntryFilterOutcome.ReaderMatchRejected));
            Assert.That(chain.Apply(forwarded), Is.EqualTo(EntryFilterOutcome.Forward));
            Assert.That(TestRecords.Json(forwarded), Does.Contain("\"MESSAGE\": \"plain ***\""));
        }
    }

    [Test]
    public void Secret_filter_matches_are_counted_once_per_entry_and_emitted_on_demand()
    {
        using var metrics = new RecordingMetrics();
        using var chain = Make(metrics);
        for (int i = 0; i < 3; i++)
        {
            using var record = TestRecords.Make(("MESSAGE", "secret secret"));
            chain.Apply(record);
        }

        Assert.That(chain.PendingSecretFilterMatches, Is.EqualTo(3));
        Assert.That(chain.EmitSecretFilterMetrics(), Is.EqualTo(3));
        Assert.That(chain.EmitSecretFilterMetrics(), Is.Zero, "nothing new: nothing emitted");
        Assert.That(metrics.Datagrams.Where(d => d.StartsWith(EntryFilterChain.SecretFilterMatchMetric, StringComparison.Ordinal)), Is.EqualTo(new[] { "journal.secret_filter_match,reader=r,env=prod:3|c" }));
    }

    [Test]
    public void Without_secret_filter_metrics_nothing_is_emitted_but_redaction_happens()
    {
        using var metrics = new RecordingMetrics();
        using var chain = Make(metrics, secretMetrics: false);
        using var record = TestRecords.Make(("MESSAGE", "secret"));
        chain.Apply(record);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.RedactedEntries, Is.EqualTo(1));
            Assert.That(chain.EmitSecretFilterMetrics(), Is.Zero);
        }
    }
}
