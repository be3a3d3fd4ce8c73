using JournalPump.Core.Filtering;
using JournalPump.Core.Metrics;
using JournalPump.Core.Tests.Formatting;

namespace JournalPump.Core.Tests.Filtering;

public sealed class SearchFilterTests
{
    private static readonly List<MetricTag> ReaderTags = [new("service", "golden"), new("reader", "r")];

    private static SearchFilter Make(RecordingMetrics metrics, params SearchOptions[] searches) =>
        new(searches, new SearchFilterSettings { ReaderTags = ReaderTags }, metrics);

    [Test]
    public void No_searches_forward_everything_and_emit_nothing()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics);
        using var record = TestRecords.Make(("MESSAGE", "x"));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(metrics.Datagrams, Is.Empty);
    }

    [Test]
    public void An_entry_matching_no_search_is_not_forwarded()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics, new SearchOptions { Name = "s", Fields = new Dictionary<string, string> { ["MESSAGE"] = "nope" } });
        using var record = TestRecords.Make(("MESSAGE", "hello"));
        Assert.That(filter.Apply(record), Is.False);
        Assert.That(metrics.Datagrams, Is.Empty);
    }

    [Test]
    public void Fields_are_raw_names_so_the_renamed_name_finds_nothing()
    {
        using var metrics = new RecordingMetrics();
        using var raw = Make(metrics, new SearchOptions { Name = "raw", Fields = new Dictionary<string, string> { ["_SYSTEMD_UNIT"] = "^sshd" } });
        using var renamed = Make(metrics, new SearchOptions { Name = "renamed", Fields = new Dictionary<string, string> { ["SYSTEMD_UNIT"] = "^sshd" } });
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", "sshd.service"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.Apply(record), Is.True);
            Assert.That(renamed.Apply(record), Is.False);
        }
    }

    [Test]
    public void Every_field_must_match_and_integers_match_as_decimal_text()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics, new SearchOptions
        {
            Name = "s",
            Fields = new Dictionary<string, string> { ["PRIORITY"] = "^[0-3]$", ["MESSAGE"] = "boom" },
        });
        using var both = TestRecords.Make(("PRIORITY", "03"), ("MESSAGE", "boom"));
        using var onlyOne = TestRecords.Make(("PRIORITY", "6"), ("MESSAGE", "boom"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Apply(both), Is.True, "PRIORITY 03 converts to 3");
            Assert.That(filter.Apply(onlyOne), Is.False);
        }
    }

    [Test]
    public void Missing_empty_and_non_utf8_values_never_match()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics, new SearchOptions { Name = "s", Fields = new Dictionary<string, string> { ["MESSAGE"] = ".*" } });
        using var empty = TestRecords.Make(("MESSAGE", ""));
        using var missing = TestRecords.Make(("OTHER", "x"));
        using var binary = TestRecords.MakeBytes(("MESSAGE", [0x61, 0xff]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Apply(empty), Is.False);
            Assert.That(filter.Apply(missing), Is.False);
            Assert.That(filter.Apply(binary), Is.False);
        }
    }

    [Test]
    public void Floats_match_as_json_text_and_lists_match_any_element()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(
            metrics,
            new SearchOptions { Name = "float", Fields = new Dictionary<string, string> { ["__REALTIME_TIMESTAMP"] = "^1700000000\\.123456$" } },
            new SearchOptions { Name = "list", Fields = new Dictionary<string, string> { ["TAG"] = "^(?P<tag>b.)$" } });
        using var record = TestRecords.Make(("TAG", "a1"), ("TAG", "b2"), ("TAG", "b3"));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(metrics.Datagrams, Is.EquivalentTo(new[]
        {
            "float,reader=r,service=golden:1|c",
            "list,tag=b2,reader=r,service=golden:1|c",
        }));
    }

    [Test]
    public void An_empty_fields_object_matches_every_entry()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics, new SearchOptions { Name = "all" });
        using var record = TestRecords.Make(("MESSAGE", "x"));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(filter.GetHitCounts()["all"], Is.EqualTo(1));
    }

    [Test]
    public void Captured_groups_then_static_tags_are_sanitised_and_unmatched_groups_skipped()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics, new SearchOptions
        {
            Name = "oom",
            Fields = new Dictionary<string, string> { ["MESSAGE"] = "killed (?P<pid>\\d+) \\((?P<process>[^)]+)\\)(?P<never>x)?" },
            Tags = [new("kind", "a b:c"), new("pid", "static")],
        });
        using var record = TestRecords.Make(("MESSAGE", "killed 42 (__init__ x:1|y)"));
        Assert.That(filter.Apply(record), Is.True);
        Assert.That(metrics.Datagrams, Is.EqualTo(new[] { "oom,kind=a_b_c,process=init___x_1_y,pid=static,reader=r,service=golden:1|c" }));
    }

    [Test]
    public void Message_is_evaluated_last_so_its_groups_overwrite_earlier_ones()
    {
        using var metrics = new RecordingMetrics();
        using var filter = Make(metrics, new SearchOptions
        {
            Name = "s",
            Fields = new Dictionary<string, string> { ["MESSAGE"] = "(?P<who>m)", ["B"] = "(?P<who>b)", ["A"] = "(?P<first>a)" },
        });
        using var record = TestRecords.Make(("MESSAGE", "m"), ("A", "a"), ("B", "b"));
        filter.Apply(record);
        Assert.That(metrics.Datagrams, Is.EqualTo(new[] { "s,who=m,first=a,reader=r,service=golden:1|c" }));
    }

    [Test]
    public void Slow_regex_emits_the_duration_gauge_with_the_regex_tag()
    {
        using var metrics = new RecordingMetrics();
        using var filter = new SearchFilter(
            [new SearchOptions { Name = "s", Fields = new Dictionary<string, string> { ["MESSAGE"] = "a b" } }],
            new SearchFilterSettings { ReaderTags = ReaderTags, ThresholdForMetricEmit = TimeSpan.FromSeconds(-1) },
            metrics);
        using var record = TestRecords.Make(("MESSAGE", "x a b"));
        filter.Apply(record);
        Assert.That(metrics.Datagrams.Where(d => d.StartsWith(SearchFilter.SlowRegexMetric, StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(1)
            .And.All.Contains(",regex=a_b,reader=r,service=golden:").And.All.EndsWith("|g"));
    }

    [Test]
    public void Catastrophic_regex_times_out_counts_and_does_not_match()
    {
        using var metrics = new RecordingMetrics();
        using var filter = new SearchFilter(
            [new SearchOptions { Name = "evil", Fields = new Dictionary<string, string> { ["MESSAGE"] = "(a+)+$" } }],
            new SearchFilterSettings { ReaderTags = ReaderTags, Regex = new PythonRegexOptions { MatchTimeout = TimeSpan.FromMilliseconds(20) } },
            metrics);
        using var record = TestRecords.Make(("MESSAGE", new string('a', 5000) + "b"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Apply(record), Is.False);
            Assert.That(filter.RegexTimeouts, Is.EqualTo(1));
            Assert.That(metrics.Datagrams, Is.EqualTo(new[] { "journal.regex_timeout,regex=(a+)+$,filter=search,reader=r,service=golden:1|c" }));
        }
    }

    [Test]
    public void Geohash_tag_function_uses_the_captured_ip()
    {
        using var metrics = new RecordingMetrics();
        using var filter = new SearchFilter(
            [new SearchOptions
            {
                Name = "geo",
                Fields = new Dictionary<string, string> { ["MESSAGE"] = "from (?P<ip>[0-9.]+)" },
                Tags = [new("where", "ip_to_geohash(ip,5)"), new("unknown", "ip_to_geohash(nope)")],
            }],
            new SearchFilterSettings { GeoIp = new FixedLocator() },
            metrics);
        using var record = TestRecords.Make(("MESSAGE", "from 192.0.2.1"));
        filter.Apply(record);
        Assert.That(metrics.Datagrams, Is.EqualTo(new[] { "geo,unknown=,where=u4pru,ip=192.0.2.1:1|c" }));
    }

    [TestCase("f(x)", "unknown tag function 'f'")]
    [TestCase("ip_to_geohash(IP)", "invalid tag function")]
    [TestCase("(", "invalid tag function")]
    public void Bad_tag_functions_are_configuration_errors(string value, string reason)
    {
        var e = Assert.Throws<FilterConfigurationException>(() => _ = new SearchFilter(
            [new SearchOptions { Name = "s", Tags = [new("t", value)] }],
            new SearchFilterSettings { GeoIp = new FixedLocator() }));
        Assert.That(e!.Message, Does.Contain(reason));
    }

    [Test]
    public void Geohash_without_a_database_is_a_configuration_error() =>
        Assert.That(
            () => new SearchFilter([new SearchOptions { Name = "s", Tags = [new("t", "ip_to_geohash(ip)")] }]),
            Throws.TypeOf<FilterConfigurationException>().With.Message.Contains("geoip_database"));

    [Test]
    public void A_bad_regex_names_the_search_and_field() =>
        Assert.That(
            () => new SearchFilter([new SearchOptions { Name = "s", Fields = new Dictionary<string, string> { ["MESSAGE"] = "(" } }]),
            Throws.TypeOf<FilterConfigurationException>().With.Message.Contains("search 's', field 'MESSAGE'"));

    [Test]
    public void A_non_matching_entry_allocates_nothing_once_warm()
    {
        using var filter = new SearchFilter([new SearchOptions { Name = "s", Fields = new Dictionary<string, string> { ["_SYSTEMD_UNIT"] = "^sshd", ["MESSAGE"] = "Accepted (?P<m>\\w+)" } }]);
        using var record = TestRecords.Make(("_SYSTEMD_UNIT", "sshd.service"), ("MESSAGE", "Failed password for root"), ("PRIORITY", "6"));
        filter.Apply(record);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            filter.Apply(record);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private sealed class FixedLocator : IGeoIpLocator
    {
        public bool TryLocate(string ipAddress, out double latitude, out double longitude)
        {
            (latitude, longitude) = (57.64911, 10.40744);
            return ipAddress == "192.0.2.1";
        }
    }
}
