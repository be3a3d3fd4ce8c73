using System.Text.Json;
using JournalPump.Host.Config;
using static JournalPump.Host.Tests.TestConfigs;
using Systemd.Journal;

namespace JournalPump.Host.Tests;

/// <summary>Valid configurations load into the typed model with every default filled in.</summary>
public sealed class GoodConfigTests
{
    private static IEnumerable<TestCaseData> GoldenConfigs() =>
        GoldenCases.ConfigFiles().Select(f => new TestCaseData(f).SetName($"Golden_config_loads_without_errors({Path.GetFileName(Path.GetDirectoryName(f))})"));

    [Test]
    public void Golden_configs_are_found() => Assert.That(GoldenCases.ConfigFiles().Count(), Is.GreaterThanOrEqualTo(19), "golden folder: " + GoldenCases.Root);

    [TestCaseSource(nameof(GoldenConfigs))]
    public void Golden_config_loads_without_errors(string configFile)
    {
        var json = File.ReadAllText(configFile)
            .Replace("@JOURNAL_DIR@", "@DIR@", StringComparison.Ordinal)
            .Replace("@OUTPUT@", "@DIR@/out.jsonl", StringComparison.Ordinal)
            .Replace("@STATE@", "@DIR@/state.json", StringComparison.Ordinal)
            .Replace("\"@STATSD_PORT@\"", "8125", StringComparison.Ordinal);
        var result = Load(json);
        Assert.That(result.Errors, Is.Empty, Describe(result));
        var config = result.Config!;
        var reader = config.Readers.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.JsonStateFilePath, Is.EqualTo(Path.Combine(Dir, "state.json")));
            Assert.That(reader.Name, Is.EqualTo("golden"));
            Assert.That(reader.JournalPath, Is.EqualTo(Dir));
            Assert.That(reader.EffectiveJournalFlags, Is.EqualTo(JournalOpenFlags.None));
            Assert.That(reader.Senders.Single().Settings, Is.EqualTo(new FileSenderSettings(Path.Combine(Dir, "out.jsonl"))));
            Assert.That(reader.Senders.Single().MaxSendInterval, Is.EqualTo(0.3));
        }
    }

    [Test]
    public void Golden_search_and_secret_filter_cases_keep_their_definitions()
    {
        var searches = LoadGolden("searches-named-groups").Readers[0];
        var secrets = LoadGolden("secret-filters-backrefs-metrics").Readers[0];
        var levels = LoadGolden("unit-log-levels");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(searches.Searches.Select(s => s.Name), Is.EqualTo(new[] { "sshd.login", "kernel.oom", "prio.error_or_worse" }));
            Assert.That(searches.Searches[0].Fields.Select(f => f.Key), Is.EqualTo(new[] { "MESSAGE", "_SYSTEMD_UNIT" }));
            Assert.That(searches.Searches[0].Tags, Is.EqualTo(new[] { new SearchTag("kind", "auth", null) }));
            Assert.That(secrets.SecretFilters, Has.Count.EqualTo(7));
            Assert.That(secrets.SecretFilters![1].Replacement, Is.EqualTo("\\g<scheme>://\\g<user>:***@"));
            Assert.That(secrets.SecretFilterMetrics, Is.True);
            Assert.That(levels.UnitLogLevels.Single().Rules.Select(r => (r.ServiceGlob, r.Level)),
                Is.EqualTo(new[] { ("sshd*", 4), ("*.service", 5), ("user@[0-9]*.service", 3), ("cron?.timer", 7) }));
        }
    }

    [Test]
    public void Minimal_config_gets_every_default()
    {
        var result = Load(WithSender(FileSender()));
        var config = result.Config!;
        var reader = config.Readers.Single();
        var sender = reader.Senders.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty, Describe(result));
            Assert.That(config.LogLevel, Is.EqualTo(PumpLogLevel.Info));
            Assert.That(config.Statsd, Is.Null);
            Assert.That(config.Tags, Is.Empty);
            Assert.That(config.Match, Is.Null);
            Assert.That(config.MsgBufferMaxLength, Is.EqualTo(50_000));
            Assert.That(config.MsgBufferMaxBytes, Is.EqualTo(5_242_880));
            Assert.That(reader.InitialPosition, Is.EqualTo(InitialPosition.Default));
            Assert.That(reader.JournalFlags, Is.Null);
            Assert.That(reader.UnitsToMatch, Is.Empty);
            Assert.That(reader.Searches, Is.Empty);
            Assert.That(reader.SecretFilters, Is.Null);
            Assert.That(reader.SecretFilterMetrics, Is.False);
            Assert.That(reader.ThresholdForMetricEmit, Is.EqualTo(10));
            Assert.That(sender.Name, Is.EqualTo("s"));
            Assert.That(sender.OutputType, Is.EqualTo("file"));
            Assert.That(sender.Settings.StateTypeName, Is.EqualTo("FileSender"));
            Assert.That(sender.ExtraFieldValues, Is.Empty);
        }
    }

    [Test]
    public void Local_journal_defaults_to_local_only()
    {
        var reader = Load(WithReader("{}")).Config!.Readers[0];
        Assert.That(reader.EffectiveJournalFlags, Is.EqualTo(JournalOpenFlags.LocalOnly));
    }

    [TestCase("[\"LOCAL_ONLY\", \" SYSTEM_ONLY \"]", 1 | 4)]
    [TestCase("[\"RUNTIME_ONLY\", \"CURRENT_USER\", \"OS_ROOT\"]", 2 | 8 | 16)]
    [TestCase("4", 4)]
    [TestCase("[]", 0)]
    public void Journal_flags_are_names_or_an_integer(string flags, int expectedValue)
    {
        var expected = (JournalOpenFlags)expectedValue;
        var reader = Load(WithReader($$"""{"journal_flags": {{flags}}}""")).Config!.Readers[0];
        Assert.That(reader.EffectiveJournalFlags, Is.EqualTo(expected));
    }

    [TestCase("\"head\"", "Head", 0)]
    [TestCase("\"tail\"", "Tail", 0)]
    [TestCase("120", "MonotonicSeconds", 120)]
    [TestCase("null", "Default", 0)]
    public void Initial_position_forms(string value, string kindName, long seconds)
    {
        var kind = Enum.Parse<InitialPositionKind>(kindName);
        var reader = Load(WithReader($$"""{"initial_position": {{value}}}""")).Config!.Readers[0];
        Assert.That(reader.InitialPosition, Is.EqualTo(new InitialPosition(kind, seconds)));
    }

    [TestCase("\"debug\"", 10)]
    [TestCase("\"WARN\"", 30)]
    [TestCase("\"Fatal\"", 50)]
    [TestCase("40", 40)]
    public void Log_level_names_are_case_insensitive_and_python_numbers_work(string value, int expected) =>
        Assert.That((int)Load($$"""{"json_state_file_path": "@DIR@/s", "log_level": {{value}}}""").Config!.LogLevel, Is.EqualTo(expected));

    [TestCase("\"5\"", 5)]
    [TestCase("2.9", 2)]
    [TestCase("30", 30)]
    public void Threshold_goes_through_integer_conversion_like_upstream(string value, int expected) =>
        Assert.That(Load(WithReader($$"""{"threshold_for_metric_emit": {{value}}}""")).Config!.Readers[0].ThresholdForMetricEmit, Is.EqualTo(expected));

    [Test]
    public void Top_level_keys_are_typed()
    {
        var caFile = Path.Combine(Dir, "geo.mmdb");
        File.WriteAllText(caFile, "not really a database");
        var config = Load(
            """
            {"json_state_file_path": "@DIR@/s", "geoip_database": "@DIR@/geo.mmdb",
             "statsd": {"host": "127.0.0.1", "port": 8125, "prefix": "jp.", "tags": {"dc": "hel1", "n": 3, "skip": null}},
             "tags": {"env": "prod"}, "match_key": "PRIORITY", "match_value": 3,
             "msg_buffer_max_length": 10, "msg_buffer_max_bytes": 1000,
             "field_filters": {"keep": {"fields": ["MESSAGE"]}, "drop": {"type": "blacklist", "fields": ["_PID"]}}}
            """).Config!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.GeoipDatabase, Is.EqualTo(caFile));
            Assert.That(config.Statsd!.Enabled, Is.True);
            Assert.That(config.Statsd.Prefix, Is.EqualTo("jp."));
            Assert.That(config.Statsd.Tags, Is.EqualTo(new KeyValuePair<string, string>[] { new("dc", "hel1"), new("n", "3") }));
            Assert.That(config.Tags, Is.EqualTo(new KeyValuePair<string, string>[] { new("env", "prod") }));
            Assert.That(config.Match!.Key, Is.EqualTo("PRIORITY"));
            Assert.That(config.Match.Value!.Value.GetInt32(), Is.EqualTo(3));
            Assert.That(config.MsgBufferMaxLength, Is.EqualTo(10));
            Assert.That(config.MsgBufferMaxBytes, Is.EqualTo(1000));
            Assert.That(config.FindFieldFilter("keep")!.Mode, Is.EqualTo(FieldFilterMode.Whitelist));
            Assert.That(config.FindFieldFilter("drop")!.Mode, Is.EqualTo(FieldFilterMode.Blacklist));
        }
    }

    [Test]
    public void Every_output_type_is_typed_with_its_defaults()
    {
        var result = Load(WithReader(
            """
            {"senders": {
              "f": {"output_type": "file", "file_output": "@DIR@/out"},
              "k": {"output_type": "kafka", "kafka_address": "k1:9092,k2", "kafka_topic": "logs"},
              "e": {"output_type": "elasticsearch", "elasticsearch_url": "http://es:9200/"},
              "o": {"output_type": "opensearch", "opensearch_url": "https://os:9200", "ca": false},
              "r": {"output_type": "rsyslog", "rsyslog_server": "syslog"},
              "l": {"output_type": "logplex", "logplex_log_input_url": "https://lp/logs", "logplex_token": "t"},
              "w": {"output_type": "websocket", "websocket_uri": "wss://ws/"},
              "c": {"output_type": "aws_cloudwatch", "aws_cloudwatch_log_group": "g", "aws_cloudwatch_log_stream": "s"},
              "g": {"output_type": "google_cloud_logging", "google_cloud_logging_project_id": "p", "google_cloud_logging_log_id": "l"}
            }}
            """), AllOutputTypes);
        Assert.That(result.Errors, Is.Empty, Describe(result));
        var list = result.Config!.Readers[0].Senders;
        var senders = list.ToDictionary(s => s.Name);
        var kafka = (KafkaSenderSettings)senders["k"].Settings;
        var es = (ElasticsearchSenderSettings)senders["e"].Settings;
        var os = (ElasticsearchSenderSettings)senders["o"].Settings;
        var rsyslog = (RsyslogSenderSettings)senders["r"].Settings;
        var logplex = (LogplexSenderSettings)senders["l"].Settings;
        var websocket = (WebSocketSenderSettings)senders["w"].Settings;
        var cloudwatch = (CloudWatchSenderSettings)senders["c"].Settings;
        var google = (GoogleCloudLoggingSenderSettings)senders["g"].Settings;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Select(s => (s.Name, s.MaxSendInterval)), Is.EqualTo(new[]
            {
                ("f", 0.3), ("k", 0.3), ("e", 10.0), ("o", 10.0), ("r", 0.3), ("l", 5.0), ("w", 1.0), ("c", 0.3), ("g", 0.3),
            }));
            Assert.That(list.Select(s => s.Settings.StateTypeName), Is.EqualTo(new[]
            {
                "FileSender", "KafkaSender", "ElasticsearchSender", "OpenSearchSender", "RsyslogSender", "LogplexSender",
                "WebsocketSender", "AWSCloudWatchSender", "GoogleCloudLoggingSender",
            }));
            Assert.That(kafka, Is.EqualTo(new KafkaSenderSettings { KafkaAddress = "k1:9092,k2", KafkaTopic = "logs" }));
            Assert.That(es, Is.EqualTo(new ElasticsearchSenderSettings { Flavor = SearchEngineFlavor.Elasticsearch, Url = "http://es:9200" }));
            Assert.That((es.IndexPrefix, es.IndexDaysMax, es.Timeout, es.VerifyCertificates), Is.EqualTo(("journalpump", 3, 60.0, true)));
            Assert.That((os.OutputType, os.VerifyCertificates), Is.EqualTo(("opensearch", false)));
            Assert.That(rsyslog, Is.EqualTo(new RsyslogSenderSettings { Server = "syslog" }));
            Assert.That((rsyslog.Port, rsyslog.Format, rsyslog.DefaultFacility, rsyslog.DefaultSeverity, rsyslog.MaxMessageSize, rsyslog.UseTls),
                Is.EqualTo((514, RsyslogFormat.Rfc5424, 1, 6, 2048, false)));
            Assert.That(logplex.RequestTimeout, Is.EqualTo(2.0));
            Assert.That((websocket.MaxBatchSize, websocket.Compression, websocket.PerMessageDeflate, websocket.Ssl),
                Is.EqualTo((1_048_576, WebSocketPayloadCompression.Snappy, false, false)));
            Assert.That(cloudwatch, Is.EqualTo(new CloudWatchSenderSettings { LogGroup = "g", LogStream = "s" }));
            Assert.That((google.ProjectId, google.EffectiveProjectId, google.ApiEndpoint), Is.EqualTo(("p", "p", "https://logging.googleapis.com")));
        }
    }

    [Test]
    public void Outputs_without_a_sink_in_this_build_are_refused()
    {
        var result = Load(WithReader(
            """
            {"senders": {
              "f": {"output_type": "file", "file_output": "@DIR@/out"},
              "k": {"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t"},
              "w": {"output_type": "websocket", "websocket_uri": "ws://ws/"}
            }}
            """));
        Assert.That(result.Errors.Select(e => (e.Path, e.Message)), Is.EqualTo(new[]
        {
            ("readers.r1.senders.w.output_type", "output_type websocket is not available in this build (its sink, JournalPump.Sinks.WebSocket, is not wired into the daemon yet)"),
        }));
    }

    [Test]
    public void Readable_tls_files_pass_and_google_credentials_replace_the_project()
    {
        var ca = Path.Combine(Dir, "ca.pem");
        File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\n");
        var result = Load(WithReader(
            """
            {"senders": {
              "k": {"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "ssl": true, "ca": "@DIR@/ca.pem"},
              "r": {"output_type": "rsyslog", "rsyslog_server": "h", "ca_certs": "@DIR@/ca.pem"},
              "g": {"output_type": "google_cloud_logging", "google_cloud_logging_project_id": "configured", "google_cloud_logging_log_id": "l",
                    "google_service_account_credentials": {"type": "service_account", "project_id": "from-key", "client_email": "a@b", "private_key": "-----BEGIN PRIVATE KEY-----"}}
            }}
            """), AllOutputTypes with { ValidateKafka = _ => [] });
        Assert.That(result.Errors, Is.Empty, Describe(result));
        var senders = result.Config!.Readers[0].Senders;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(((KafkaSenderSettings)senders[0].Settings).Ca, Is.EqualTo(ca));
            Assert.That(((RsyslogSenderSettings)senders[1].Settings).UseTls, Is.True);
            Assert.That(((GoogleCloudLoggingSenderSettings)senders[2].Settings).EffectiveProjectId, Is.EqualTo("from-key"));
            AssertProblem(result, ConfigSeverity.Info, "readers.r1.senders.g.google_cloud_logging_project_id", "replaced by the credentials' project_id 'from-key'");
        }
    }

    [Test]
    public void Kafka_settings_librdkafka_cannot_use_are_refused_at_load()
    {
        var ca = Path.Combine(Dir, "broken-ca.pem");
        File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\n");
        var result = Load(WithReader(
            """{"senders": {"k": {"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "ssl": true, "ca": "@DIR@/broken-ca.pem"}}}"""));
        AssertProblem(result, ConfigSeverity.Error, "readers.r1.senders.k", "ssl.ca.location failed");
    }

    [Test]
    public void Kafka_sasl_and_producer_properties_are_read()
    {
        var result = Load(WithReader(
            """
            {"senders": {"k": {"output_type": "kafka", "kafka_address": "k1:9092,k2", "kafka_topic": "t", "kafka_msg_key": "host-a",
              "sasl_mechanism": "scram-sha-512", "sasl_plain_username": "u", "sasl_plain_password": "p",
              "kafka_producer_config": {"compression.type": "lz4", "linger.ms": 20, "enable.idempotence": false}}}}
            """));
        Assert.That(result.Errors, Is.Empty, Describe(result));
        var kafka = (KafkaSenderSettings)result.Config!.Readers[0].Senders[0].Settings;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(kafka.Sasl, Is.EqualTo(new KafkaSaslConfig("SCRAM-SHA-512", "u", "p")));
            Assert.That(kafka.ProducerConfig, Is.EqualTo(new KeyValuePair<string, string>[] { new("compression.type", "lz4"), new("linger.ms", "20"), new("enable.idempotence", "false") }));
        }
    }

    [Test]
    public void Extra_field_values_keep_their_order_and_json_types()
    {
        var sender = Load(WithSender(FileSender("\"extra_field_values\": {\"b\": 1, \"a\": {\"x\": [true]}, \"c\": null}"))).Config!.Readers[0].Senders[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sender.ExtraFieldValues.Select(e => e.Key), Is.EqualTo(new[] { "b", "a", "c" }));
            Assert.That(sender.ExtraFieldValues.Select(e => e.Value.ValueKind), Is.EqualTo(new[] { JsonValueKind.Number, JsonValueKind.Object, JsonValueKind.Null }));
        }
    }

    private static PumpConfig LoadGolden(string name)
    {
        var file = GoldenCases.ConfigFiles().Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == name);
        var json = File.ReadAllText(file)
            .Replace("@JOURNAL_DIR@", "@DIR@", StringComparison.Ordinal)
            .Replace("@OUTPUT@", "@DIR@/out.jsonl", StringComparison.Ordinal)
            .Replace("@STATE@", "@DIR@/state.json", StringComparison.Ordinal)
            .Replace("\"@STATSD_PORT@\"", "8125", StringComparison.Ordinal);
        var result = Load(json);
        return result.Config ?? throw new AssertionException(Describe(result));
    }
}

internal static class GoldenCases
{
    private static readonly Lazy<string?> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value ?? "(shared/golden not found above " + AppContext.BaseDirectory + ")";

    public static IEnumerable<string> ConfigFiles() =>
        LazyRoot.Value is { } root
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "config.json")).Where(File.Exists).Order(StringComparer.Ordinal)
            : [];

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "golden"), Path.Combine(dir.FullName, "..", "shared", "golden") })
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
