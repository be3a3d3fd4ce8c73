using JournalPump.Host.Config;
using static JournalPump.Host.Tests.TestConfigs;
using Systemd.Journal;

namespace JournalPump.Host.Tests;

/// <summary>Documented-but-different and ignored keys load, with a warning that says what happened.</summary>
public sealed class WarningTests
{
    private static readonly (string Name, string Json, string Path, string Fragment, bool AllTypes)[] Cases =
    [
        ("reader_flags_is_ignored", WithReader("""{"flags": 4, "journal_path": "@DIR@"}"""), "readers.r1.flags", "ignored, as by journalpump: the key it reads is journal_flags", false),
        ("reader_tags_are_ignored", WithReader("""{"tags": {"a": "b"}}"""), "readers.r1.tags", "ignored at reader level", false),
        ("reader_msg_buffer_max_length_is_ignored", WithReader("""{"msg_buffer_max_length": 10}"""), "readers.r1.msg_buffer_max_length", "ignored at reader level", false),
        ("sender_match_key_is_ignored", WithSender(FileSender("\"match_key\": \"SYSTEMD_UNIT\", \"match_value\": \"a\"")), "readers.r1.senders.s.match_key", "ignored, as by journalpump: senders have no match_key", false),
        ("missing_state_file_path", """{"readers": {}}""", "json_state_file_path", "no state file is read or written", false),
        ("msg_buffer_max_bytes_zero_is_unlimited", """{"json_state_file_path": "@DIR@/s", "msg_buffer_max_bytes": 0}""", "msg_buffer_max_bytes", "no byte limit", false),
        ("unknown_top_level_key", """{"json_state_file_path": "@DIR@/s", "reader": {}}""", "reader", "unknown key; ignored", false),
        ("unknown_sender_key", WithSender(FileSender("\"kafka_topic\": \"t\"")), "readers.r1.senders.s.kafka_topic", "unknown key for output_type file; ignored", false),
        ("unknown_statsd_key", """{"json_state_file_path": "@DIR@/s", "statsd": {"host": "h", "port": 1, "protocol": "tcp"}}""", "statsd.protocol", "unknown key", false),
        ("field_filter_type_not_whitelist", """{"json_state_file_path": "@DIR@/s", "field_filters": {"f": {"type": "Whitelist", "fields": []}}}""", "field_filters.f.type", "is treated as \"blacklist\"", false),
        ("statsd_host_without_port", """{"json_state_file_path": "@DIR@/s", "statsd": {"host": "127.0.0.1"}}""", "statsd.port", "none will be sent", false),
        ("repeated_key", """{"json_state_file_path": "@DIR@/s", "log_level": "INFO", "log_level": "DEBUG"}""", "log_level", "repeated key; the last value is used", false),
        ("extra_field_values_not_object", WithSender(FileSender("\"extra_field_values\": [1]")), "readers.r1.senders.s.extra_field_values", "ignored, as by journalpump: must be an object", false),
        ("journal_path_missing", WithReader("""{"journal_path": "@DIR@/not-yet"}"""), "readers.r1.journal_path", "does not exist (yet)", false),
        ("journal_namespace_with_path", WithReader("""{"journal_path": "@DIR@", "journal_namespace": "ns"}"""), "readers.r1.journal_namespace", "ignored: journal_path or journal_files is set", false),
        ("secret_filter_metrics_not_boolean", WithReader("""{"secret_filter_metrics": "yes"}"""), "readers.r1.secret_filter_metrics", "only the JSON literal true enables it", false),
        ("search_uses_renamed_field", WithReader("""{"searches": [{"name": "s", "fields": {"SYSTEMD_UNIT": "nginx"}}]}"""), "readers.r1.searches[0].fields.SYSTEMD_UNIT", "did you mean '_SYSTEMD_UNIT'?", false),
        ("geohash_without_database", WithReader("""{"searches": [{"name": "s", "fields": {"MESSAGE": "from (?P<ip>\\S+)"}, "tags": {"geo": "ip_to_geohash(ip)"}}]}"""), "readers.r1.searches[0].tags.geo", "needs geoip_database", false),
        ("match_value_without_key", """{"json_state_file_path": "@DIR@/s", "match_value": 3}""", "match_value", "ignored: there is no match_key", false),
        ("initial_position_boolean", WithReader("""{"initial_position": true}"""), "readers.r1.initial_position", "is taken as the integer 1", false),
        ("rsyslog_ca_is_ca_certs", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "ca": "/etc/ssl/ca.pem"}"""), "readers.r1.senders.s.ca", "rsyslog reads its CA bundle from ca_certs", true),
        ("rsyslog_misspelled_token", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "format": "custom", "logline": "<%pri%>%procotol-version% %msg%"}"""), "readers.r1.senders.s.logline", "the token is %protocol-version%", true),
        ("rsyslog_ssl_string", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "ssl": "yes"}"""), "readers.r1.senders.s.ssl", "only the JSON literal true enables TLS", true),
        ("kafka_tls_files_without_ssl", WithSender("""{"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "ca": "/nonexistent/ca.pem"}"""), "readers.r1.senders.s.ca", "ignored: TLS is off", true),
        ("kafka_topic_config_half", WithSender("""{"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "kafka_topic_config": {"num_partitions": 3}}"""), "readers.r1.senders.s.kafka_topic_config", "only when both num_partitions and replication_factor", true),
    ];

    private static IEnumerable<TestCaseData> WarnedConfigs() =>
        Cases.Select(c => new TestCaseData(c.Json, c.Path, c.Fragment, c.AllTypes).SetName($"Config_loads_with_a_warning_at_its_path({c.Name})"));

    [TestCaseSource(nameof(WarnedConfigs))]
    public void Config_loads_with_a_warning_at_its_path(string json, string path, string fragment, bool allOutputTypes)
    {
        var result = Load(json, allOutputTypes ? AllOutputTypes : null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Config, Is.Not.Null, Describe(result));
            Assert.That(result.Errors, Is.Empty, Describe(result));
            AssertProblem(result, ConfigSeverity.Warning, path, fragment);
        }
    }

    [Test]
    public void Flags_warning_names_the_flags_actually_used()
    {
        var result = Load(WithReader("""{"flags": 4}"""));
        AssertProblem(result, ConfigSeverity.Warning, "readers.r1.flags", "the journal is opened with LOCAL_ONLY");
        Assert.That(result.Config!.Readers[0].EffectiveJournalFlags, Is.EqualTo(JournalOpenFlags.LocalOnly));
    }
}
