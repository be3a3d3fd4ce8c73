using JournalPump.Core.Filtering;
using JournalPump.Core.Redaction;
using JournalPump.Core.Tests.Formatting;

namespace JournalPump.Core.Tests.Filtering;

public sealed class SecretFilterTests
{
    private static SecretFilter Make(params (string Pattern, string Replacement)[] filters) =>
        new(filters.Select(f => new SecretFilterOptions { Pattern = f.Pattern, Replacement = f.Replacement }));

    [Test]
    public void Filters_apply_in_order_to_message_only_each_on_the_previous_output()
    {
        using var filter = Make(("SECRET", "[REDACTED]"), ("(A)|(B)", "<\\1\\2>"));
        using var record = TestRecords.Make(("MESSAGE", "a SECRET and B"), ("OTHER", "SECRET"));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(TestRecords.Json(record), Does.Contain("\"MESSAGE\": \"a [RED<A>CTED] and <B>\"").And.Contain("\"OTHER\": \"SECRET\""));
    }

    [Test]
    public void Backreferences_named_groups_and_escapes_in_replacements()
    {
        using var filter = Make(
            ("(token=)([A-Za-z0-9]+)", "\\1[REDACTED]"),
            ("(?P<scheme>\\w+)://(?P<user>\\w+):(?P<pw>[^@]+)@", "\\g<scheme>://\\g<user>:***@"),
            ("\\|\\|", "\\n"),
            ("cost", "$1"));
        Assert.That(
            filter.Redact("token=abc123 https://bob:hunter2@host || cost"),
            Is.EqualTo("token=[REDACTED] https://bob:***@host \n $1"));
    }

    [Test]
    public void Empty_missing_and_unchanged_messages_are_not_counted()
    {
        using var filter = Make(("x", "x"));
        using var empty = TestRecords.Make(("MESSAGE", ""));
        using var missing = TestRecords.Make(("OTHER", "x"));
        using var same = TestRecords.Make(("MESSAGE", "xxx"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Apply(empty), Is.False);
            Assert.That(filter.Apply(missing), Is.False);
            Assert.That(filter.Apply(same), Is.False, "the text did not change");
        }
    }

    [Test]
    public void Non_utf8_messages_are_filtered_as_their_bytes_literal_text()
    {
        using var filter = Make(("password=\\S+", "password=***"));
        using var record = TestRecords.MakeBytes(("MESSAGE", [.. "password=hunter2 "u8, 0xff]));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(TestRecords.Json(record), Does.StartWith("{\"MESSAGE\": \"b'password=***"));
    }

    [Test]
    public void Each_value_of_a_repeated_message_is_filtered()
    {
        using var filter = Make(("secret", "***"));
        using var record = TestRecords.Make(("MESSAGE", "a secret"), ("MESSAGE", "no"), ("MESSAGE", "secret b"));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(TestRecords.Json(record), Does.StartWith("{\"MESSAGE\": [\"a ***\", \"no\", \"*** b\"]"));
    }

    [Test]
    public void Missing_pattern_or_replacement_and_bad_patterns_are_configuration_errors()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new SecretFilter([new SecretFilterOptions { Pattern = "x", Replacement = null! }]), Throws.TypeOf<FilterConfigurationException>().With.Message.Contains("secret_filters[0]"));
            Assert.That(() => Make(("(", "x")), Throws.TypeOf<FilterConfigurationException>().With.Message.Contains("secret_filters[0]"));
            Assert.That(() => Make(("a", "\\1")), Throws.TypeOf<FilterConfigurationException>().With.Message.Contains("invalid group reference 1"));
        }
    }

    [Test]
    public void A_timed_out_filter_fails_closed_and_is_counted()
    {
        using var metrics = new RecordingMetrics();
        using var filter = new SecretFilter(
            [new SecretFilterOptions { Pattern = "(a+)+$", Replacement = "x" }],
            new PythonRegexOptions { MatchTimeout = TimeSpan.FromMilliseconds(20) },
            metrics,
            [new("reader", "r")]);
        string secret = new string('a', 5000) + "b";
        using var record = TestRecords.Make(("MESSAGE", secret));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Apply(record), Is.True);
            Assert.That(TestRecords.Json(record), Does.Contain(SecretFilter.TimeoutPlaceholder).And.Not.Contain(secret));
            Assert.That(filter.Timeouts, Is.EqualTo(1));
            Assert.That(metrics.Datagrams, Is.EqualTo(new[] { "journal.regex_timeout,regex=(a+)+$,filter=secret_filter,reader=r:1|c" }));
        }
    }

    [Test]
    public void A_message_no_pattern_matches_allocates_nothing_once_warm()
    {
        using var filter = Make(("password=\\S+", "***"), ("SECRET", "x"));
        using var record = TestRecords.Make(("MESSAGE", "an ordinary log line without anything to hide"));
        filter.Apply(record);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            filter.Apply(record);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
