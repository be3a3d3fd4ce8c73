using System.Text.Json.Nodes;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Tests.Filtering;

public sealed class SenderFilterTests
{
    private static UnitLogLevelFilter Levels(JsonObject? extra, params (string Glob, string Level)[] rules) =>
        new(rules.Select(r => new UnitLogLevelRule { ServiceGlob = r.Glob, LogLevel = UnitLogLevelRule.ParseLevel(r.Level) }), extra);

    [TestCase("test-unit", "5", false, TestName = "Strictest_matching_rule_wins_whatever_the_order")]
    [TestCase("test-unit", "4", true)]
    [TestCase("other-unit", "6", true)]
    [TestCase("other-unit", "7", false)]
    [TestCase("test-unit", "0", true, TestName = "Priority_0_is_falsy_and_passes")]
    [TestCase("test-unit", "", true, TestName = "Empty_priority_passes")]
    [TestCase("test-unit", "high", true, TestName = "Non_integer_priority_passes")]
    [TestCase("test-unit", "-3", true)]
    [TestCase("test-unit", "99999999999999999999999", false)]
    public void Unit_log_levels_follow_the_code_not_the_readme(string unit, string priority, bool kept)
    {
        var filter = Levels(null, ("*-unit", "INFO"), ("test-unit*", "WARNING"));
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", unit), ("PRIORITY", priority));
        Assert.That(filter.Includes(record), Is.EqualTo(kept));
    }

    [Test]
    public void Records_without_unit_or_priority_pass()
    {
        var filter = Levels(null, ("*", "EMERGENCY"));
        using var noUnit = TestRecords.Make(("PRIORITY", "7"));
        using var noPriority = TestRecords.Make(("_SYSTEMD_UNIT", "a.service"));
        using var userUnit = TestRecords.Make(("SYSTEMD_UNIT", "a.service"), ("PRIORITY", "7"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Includes(noUnit), Is.True);
            Assert.That(filter.Includes(noPriority), Is.True);
            Assert.That(filter.Includes(userUnit), Is.False, "a user SYSTEMD_UNIT field counts too");
            Assert.That(Levels(null).Includes(userUnit), Is.True, "no rules");
        }
    }

    [TestCase("user@1000.service", "user@[0-9]*.service", true)]
    [TestCase("user@x.service", "user@[0-9]*.service", false)]
    [TestCase("user@x.service", "user@[!0-9]*.service", true)]
    [TestCase("cron1.timer", "cron?.timer", true)]
    [TestCase("cron12.timer", "cron?.timer", false)]
    [TestCase("SSHD", "sshd*", false)]
    [TestCase("a.b", "a?b", true)]
    [TestCase("a[b", "a[b", true)]
    [TestCase("a]", "[]]*", false)]
    [TestCase("]", "[]]", true)]
    [TestCase("x", "[z-a]", false)]
    [TestCase("a\nb", "a*b", true)]
    public void Globs_are_python_fnmatch(string unit, string glob, bool matches)
    {
        var filter = Levels(null, (glob, "EMERGENCY"));
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", unit), ("PRIORITY", "1"));
        Assert.That(filter.Includes(record), Is.EqualTo(!matches));
    }

    [Test]
    public void Unknown_level_names_are_configuration_errors() =>
        Assert.That(() => UnitLogLevelRule.ParseLevel("info"), Throws.TypeOf<FilterConfigurationException>().With.Message.Contains("'info'"));

    [Test]
    public void Extra_field_values_are_merged_before_the_check()
    {
        var filter = Levels(new JsonObject { ["PRIORITY"] = 7 }, ("*", "ERROR"));
        var filterUnit = Levels(new JsonObject { ["SYSTEMD_UNIT"] = "strict.service" }, ("strict.service", "ERROR"));
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", "a.service"), ("PRIORITY", "1"));
        using var verbose = TestRecords.Make(("_SYSTEMD_UNIT", "a.service"), ("PRIORITY", "6"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Includes(record), Is.False);
            Assert.That(filterUnit.Includes(verbose), Is.False);
            Assert.That(filterUnit.Includes(record), Is.True);
        }
    }

    [Test]
    public void A_seen_unit_allocates_nothing()
    {
        var filter = Levels(null, ("sshd*", "WARNING"), ("*.service", "NOTICE"));
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", "nginx.service"), ("PRIORITY", "6"));
        filter.Includes(record);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            filter.Includes(record);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Field_filter_names_ignore_case_and_leading_underscores()
    {
        var whitelist = new FieldFilter(new FieldFilterOptions { Fields = ["_pid", "MESSAGE", "Timestamp"] });
        var blacklist = new FieldFilter(new FieldFilterOptions { Type = FieldFilterOptions.ParseType("anything"), Fields = ["___hostname"] });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(whitelist.Includes("PID"u8), Is.True);
            Assert.That(whitelist.Includes("__PID"u8), Is.True);
            Assert.That(whitelist.Includes("message"u8), Is.True);
            Assert.That(whitelist.Includes("timestamp"u8), Is.True);
            Assert.That(whitelist.Includes("HOSTNAME"u8), Is.False);
            Assert.That(blacklist.Type, Is.EqualTo(FieldFilterType.Blacklist));
            Assert.That(blacklist.Includes("HOSTNAME"u8), Is.False);
            Assert.That(blacklist.Includes("PID"u8), Is.True);
            Assert.That(FieldFilterOptions.ParseType(null), Is.EqualTo(FieldFilterType.Whitelist));
            Assert.That(FieldFilterOptions.ParseType("Whitelist"), Is.EqualTo(FieldFilterType.Blacklist), "only exactly \"whitelist\"");
        }
    }

    [Test]
    public void Field_filters_apply_to_timestamp_and_extra_fields_and_may_empty_the_record()
    {
        using var record = TestRecords.Make(("MESSAGE", "x"));
        var nothing = new FieldFilter(new FieldFilterOptions { Fields = ["nope"] });
        var extras = new FieldFilter(new FieldFilterOptions { Type = FieldFilterType.Blacklist, Fields = ["timestamp", "extra"] });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(TestRecords.Json(record, new JournalJsonFormatterOptions { KeyFilter = nothing }), Is.EqualTo("{}"));
            Assert.That(
                TestRecords.Json(record, new JournalJsonFormatterOptions { KeyFilter = extras, ExtraFieldValues = new JsonObject { ["extra"] = 1, ["kept"] = 2 } }),
                Is.EqualTo("{\"MESSAGE\": \"x\", \"REALTIME_TIMESTAMP\": 1700000000.123456, \"kept\": 2}"));
        }
    }

    [Test]
    public void Field_filter_without_fields_is_a_configuration_error() =>
        Assert.That(() => new FieldFilter(new FieldFilterOptions { Fields = null! }), Throws.TypeOf<FilterConfigurationException>());

    [Test]
    public void Sender_filter_combines_unit_log_levels_and_key_filter()
    {
        var sender = new SenderFilter(Levels(null, ("*", "ERROR")), new FieldFilter(new FieldFilterOptions { Fields = ["MESSAGE"] }));
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", "a"), ("PRIORITY", "6"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sender.Accepts(record), Is.False);
            Assert.That(SenderFilter.None.Accepts(record), Is.True);
            Assert.That(sender.FieldFilter!.Includes("MESSAGE"u8), Is.True);
        }
    }
}
