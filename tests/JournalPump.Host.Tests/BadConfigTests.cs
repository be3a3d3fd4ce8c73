using JournalPump.Host.Config;
using static JournalPump.Host.Tests.TestConfigs;

namespace JournalPump.Host.Tests;

/// <summary>Each bad configuration fails with an error naming its exact JSON path.</summary>
public sealed class BadConfigTests
{
    private static readonly (string Name, string Json, string Path, string Fragment, bool AllTypes)[] Cases =
    [
        ("root_is_a_list", "[]", "", "must be a JSON object, not a list", false),
        ("invalid_json", """{"readers": {""", "", "not valid JSON", false),
        ("trailing_comma_is_invalid_json", """{"readers": {},}""", "", "not valid JSON", false),
        ("unknown_log_level", """{"log_level": "LOUD"}""", "log_level", "unknown log level \"LOUD\"", false),
        ("log_level_odd_integer", """{"log_level": 15}""", "log_level", "unknown log level 15", false),
        ("state_path_not_a_string", """{"json_state_file_path": 5}""", "json_state_file_path", "must be a string, not a number", false),
        ("statsd_port_string", """{"statsd": {"host": "127.0.0.1", "port": "8125"}}""", "statsd.port", "must be an integer, not a string", false),
        ("statsd_port_out_of_range", """{"statsd": {"host": "127.0.0.1", "port": 70000}}""", "statsd.port", "must be a port number from 1 to 65535, not 70000", false),
        ("statsd_not_an_object", """{"statsd": "localhost:8125"}""", "statsd", "must be an object, not a string", false),
        ("pump_tag_value_list", """{"tags": {"a": [1]}}""", "tags.a", "must be a string, not a list", false),
        ("msg_buffer_max_length_zero", """{"msg_buffer_max_length": 0}""", "msg_buffer_max_length", "must be at least 1", false),
        ("msg_buffer_max_bytes_negative", """{"msg_buffer_max_bytes": -1}""", "msg_buffer_max_bytes", "must not be negative", false),
        ("msg_buffer_max_length_string", """{"msg_buffer_max_length": "big"}""", "msg_buffer_max_length", "must be an integer, not a string", false),
        ("msg_buffer_max_length_float", """{"msg_buffer_max_length": 10.5}""", "msg_buffer_max_length", "must be an integer, not 10.5", false),
        ("field_filter_without_fields", """{"field_filters": {"f": {"type": "whitelist"}}}""", "field_filters.f.fields", "required", false),
        ("field_filter_fields_not_list", """{"field_filters": {"f": {"fields": "MESSAGE"}}}""", "field_filters.f.fields", "must be a list of strings", false),
        ("field_filter_field_not_string", """{"field_filters": {"f": {"fields": ["A", 3]}}}""", "field_filters.f.fields[1]", "must be a string, not a number", false),
        ("unit_log_levels_not_list", """{"unit_log_levels": {"u": {"service_glob": "*"}}}""", "unit_log_levels.u", "must be a list", false),
        ("unit_log_level_unknown_level", """{"unit_log_levels": {"u": [{"service_glob": "*", "log_level": "LOUD"}]}}""", "unit_log_levels.u[0].log_level", "unknown level 'LOUD'", false),
        ("unit_log_level_lower_case", """{"unit_log_levels": {"u": [{"service_glob": "*", "log_level": "warning"}]}}""", "unit_log_levels.u[0].log_level", "(level names are upper case)", false),
        ("unit_log_level_without_glob", """{"unit_log_levels": {"u": [{"log_level": "INFO"}]}}""", "unit_log_levels.u[0].service_glob", "required", false),
        ("unit_log_level_glob_not_string", """{"unit_log_levels": {"u": [{"service_glob": 1, "log_level": "INFO"}]}}""", "unit_log_levels.u[0].service_glob", "must be a string", false),
        ("geoip_database_missing", """{"geoip_database": "/nonexistent/GeoLite2-City.mmdb"}""", "geoip_database", "no such file", false),
        ("readers_list", """{"readers": []}""", "readers", "must be an object, not a list", false),
        ("reader_not_object", """{"readers": {"r1": "journal"}}""", "readers.r1", "must be an object, not a string", false),
        ("journal_flags_unknown_name", WithReader("""{"journal_flags": ["SYSTEM_WIDE"]}"""), "readers.r1.journal_flags[0]", "unknown journal flag 'SYSTEM_WIDE'", false),
        ("journal_flags_string", WithReader("""{"journal_flags": "LOCAL_ONLY"}"""), "readers.r1.journal_flags", "must be a list of flag names", false),
        ("journal_flags_negative", WithReader("""{"journal_flags": -1}"""), "readers.r1.journal_flags", "an integer from 0 to 31", false),
        ("journal_path_and_files", WithReader("""{"journal_path": "@DIR@", "journal_files": ["@DIR@/a.journal"]}"""), "readers.r1.journal_files", "cannot be used together with journal_path", false),
        ("journal_files_not_list", WithReader("""{"journal_files": "@DIR@/a.journal"}"""), "readers.r1.journal_files", "must be a list of strings", false),
        ("initial_position_capitalised", WithReader("""{"initial_position": "Tail"}"""), "readers.r1.initial_position", "must be \"head\", \"tail\" or a non-negative integer", false),
        ("initial_position_negative", WithReader("""{"initial_position": -5}"""), "readers.r1.initial_position", "not -5", false),
        ("initial_position_float", WithReader("""{"initial_position": 1.5}"""), "readers.r1.initial_position", "not 1.5", false),
        ("units_to_match_string", WithReader("""{"units_to_match": "nginx.service"}"""), "readers.r1.units_to_match", "must be a list of strings", false),
        ("reader_match_key_number", WithReader("""{"match_key": 5}"""), "readers.r1.match_key", "must be a string", false),
        ("secret_filters_object", WithReader("""{"secret_filters": {"pattern": "x", "replacement": "y"}}"""), "readers.r1.secret_filters", "must be a list", false),
        ("secret_filter_without_pattern", WithReader("""{"secret_filters": [{"replacement": "y"}]}"""), "readers.r1.secret_filters[0].pattern", "required", false),
        ("secret_filter_null_replacement", WithReader("""{"secret_filters": [{"pattern": "x", "replacement": null}]}"""), "readers.r1.secret_filters[0].replacement", "required", false),
        ("secret_filter_bad_regex", WithReader("""{"secret_filters": [{"pattern": "(unclosed", "replacement": "y"}]}"""), "readers.r1.secret_filters[0].pattern", "invalid regular expression", false),
        ("secret_filter_missing_group", WithReader("""{"secret_filters": [{"pattern": "(a)(b)", "replacement": "\\3"}]}"""), "readers.r1.secret_filters[0].replacement", "invalid group reference 3", false),
        ("secret_filter_unknown_group_name", WithReader("""{"secret_filters": [{"pattern": "(?P<user>\\w+)", "replacement": "\\g<nope>"}]}"""), "readers.r1.secret_filters[0].replacement", "unknown group name 'nope'", false),
        ("secret_filter_bad_escape", WithReader("""{"secret_filters": [{"pattern": "x", "replacement": "\\q"}]}"""), "readers.r1.secret_filters[0].replacement", "bad escape \\q", false),
        ("secret_filter_not_object", WithReader("""{"secret_filters": ["SECRET"]}"""), "readers.r1.secret_filters[0]", "must be an object, not a string", false),
        ("searches_not_list", WithReader("""{"searches": {"name": "x"}}"""), "readers.r1.searches", "must be a list of searches", false),
        ("search_without_name", WithReader("""{"searches": [{"fields": {"MESSAGE": "x"}}]}"""), "readers.r1.searches[0].name", "required", false),
        ("search_bad_regex", WithReader("""{"searches": [{"name": "s", "fields": {"MESSAGE": "a[b"}}]}"""), "readers.r1.searches[0].fields.MESSAGE", "invalid regular expression", false),
        ("search_regex_not_string", WithReader("""{"searches": [{"name": "s", "fields": {"PRIORITY": 3}}]}"""), "readers.r1.searches[0].fields.PRIORITY", "must be a string (a regular expression)", false),
        ("search_tag_bad_call", WithReader("""{"searches": [{"name": "s", "fields": {}, "tags": {"t": "ip_to_geohash(ip"}}]}"""), "readers.r1.searches[0].tags.t", "not a tag function call", false),
        ("search_tag_unknown_function", WithReader("""{"searches": [{"name": "s", "fields": {}, "tags": {"t": "upper(x)"}}]}"""), "readers.r1.searches[0].tags.t", "unknown tag function 'upper'", false),
        ("search_tag_bad_precision", WithReader("""{"searches": [{"name": "s", "fields": {}, "tags": {"t": "ip_to_geohash(ip,99)"}}]}"""), "readers.r1.searches[0].tags.t", "optional precision from 1 to 12", false),
        ("threshold_not_integer", WithReader("""{"threshold_for_metric_emit": "soon"}"""), "readers.r1.threshold_for_metric_emit", "must be an integer number of seconds", false),
        ("senders_list", WithReader("""{"senders": []}"""), "readers.r1.senders", "must be an object, not a list", false),
        ("sender_not_object", WithSender("\"file\""), "readers.r1.senders.s", "must be an object, not a string", false),
        ("sender_without_output_type", WithSender("""{"file_output": "@DIR@/out"}"""), "readers.r1.senders.s.output_type", "required", false),
        ("unknown_output_type", WithSender("""{"output_type": "syslog"}"""), "readers.r1.senders.s.output_type", "unknown output_type 'syslog'", false),
        ("kafka_socks5_proxy", WithSender(KafkaSender("\"socks5_proxy\": \"socks5://proxy:1080\""), "k1"), "readers.r1.senders.k1.socks5_proxy", "not supported for output_type kafka", false),
        ("kafka_sasl_without_mechanism", WithSender(KafkaSender("\"sasl_plain_username\": \"u\", \"sasl_plain_password\": \"p\""), "k1"), "readers.r1.senders.k1.sasl_mechanism", "required with sasl_plain_username", false),
        ("kafka_sasl_unknown_mechanism", WithSender(KafkaSender("\"sasl_mechanism\": \"GSSAPI\", \"sasl_plain_username\": \"u\", \"sasl_plain_password\": \"p\""), "k1"), "readers.r1.senders.k1.sasl_mechanism", "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", false),
        ("kafka_sasl_without_password", WithSender(KafkaSender("\"sasl_mechanism\": \"SCRAM-SHA-512\", \"sasl_plain_username\": \"u\""), "k1"), "readers.r1.senders.k1.sasl_plain_password", "required with sasl_mechanism", false),
        ("kafka_producer_config_not_object", WithSender(KafkaSender("\"kafka_producer_config\": \"lz4\""), "k1"), "readers.r1.senders.k1.kafka_producer_config", "must be an object", false),
        ("kafka_producer_config_reserved", WithSender(KafkaSender("\"kafka_producer_config\": {\"bootstrap.servers\": \"other:9092\"}"), "k1"), "readers.r1.senders.k1.kafka_producer_config.bootstrap.servers", "cannot be set here", false),
        ("kafka_producer_config_list_value", WithSender(KafkaSender("\"kafka_producer_config\": {\"linger.ms\": [5]}"), "k1"), "readers.r1.senders.k1.kafka_producer_config.linger.ms", "must be a string, a number or a boolean", false),
        ("kafka_producer_config_unknown_property", WithSender(KafkaSender("\"kafka_producer_config\": {\"no.such.property\": 1}"), "k1"), "readers.r1.senders.k1", "No such configuration property: \"no.such.property\"", false),
        ("kafka_producer_config_bad_value", WithSender(KafkaSender("\"kafka_producer_config\": {\"compression.type\": \"brotli\"}"), "k1"), "readers.r1.senders.k1", "Invalid value \"brotli\"", false),
        ("elasticsearch_not_in_this_build", WithSender("""{"output_type": "elasticsearch", "elasticsearch_url": "http://es:9200"}"""), "readers.r1.senders.s.output_type", "output_type elasticsearch is not available in this build", false),
        ("kafka_without_topic", WithSender("""{"output_type": "kafka", "kafka_address": "k:9092"}""", "k1"), "readers.r1.senders.k1.kafka_topic", "required for output_type kafka", true),
        ("kafka_without_address", WithSender("""{"output_type": "kafka", "kafka_topic": "t"}""", "k1"), "readers.r1.senders.k1.kafka_address", "required for output_type kafka", true),
        ("kafka_bad_port", WithSender("""{"output_type": "kafka", "kafka_address": "k:99999", "kafka_topic": "t"}""", "k1"), "readers.r1.senders.k1.kafka_address", "'k:99999' is not host[:port]", true),
        ("kafka_unreadable_ca", WithSender("""{"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "ssl": true, "ca": "/nonexistent/ca.pem"}""", "k1"), "readers.r1.senders.k1.ca", "cannot read '/nonexistent/ca.pem': no such file", true),
        ("kafka_unreadable_keyfile", WithSender("""{"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "ssl": true, "keyfile": "@DIR@/missing.key"}""", "k1"), "readers.r1.senders.k1.keyfile", "no such file", true),
        ("kafka_api_version_garbage", WithSender("""{"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "kafka_api_version": "new"}""", "k1"), "readers.r1.senders.k1.kafka_api_version", "must be \"auto\" or a dotted version", true),
        ("kafka_topic_config_partitions_zero", WithSender("""{"output_type": "kafka", "kafka_address": "k", "kafka_topic": "t", "kafka_topic_config": {"num_partitions": 0, "replication_factor": 1}}""", "k1"), "readers.r1.senders.k1.kafka_topic_config.num_partitions", "must be at least 1", true),
        ("elasticsearch_without_url", WithSender("""{"output_type": "elasticsearch"}"""), "readers.r1.senders.s.elasticsearch_url", "required for output_type elasticsearch", true),
        ("opensearch_with_elasticsearch_url", WithSender("""{"output_type": "opensearch", "elasticsearch_url": "http://os:9200"}"""), "readers.r1.senders.s.opensearch_url", "required for output_type opensearch", true),
        ("elasticsearch_url_not_http", WithSender("""{"output_type": "elasticsearch", "elasticsearch_url": "es:9200"}"""), "readers.r1.senders.s.elasticsearch_url", "must be an http:// or https:// URL", true),
        ("elasticsearch_index_days_max_zero", WithSender("""{"output_type": "elasticsearch", "elasticsearch_url": "http://es:9200", "elasticsearch_index_days_max": 0}"""), "readers.r1.senders.s.elasticsearch_index_days_max", "must be at least 1", true),
        ("elasticsearch_negative_timeout", WithSender("""{"output_type": "elasticsearch", "elasticsearch_url": "http://es:9200", "elasticsearch_timeout": -1}"""), "readers.r1.senders.s.elasticsearch_timeout", "more than zero seconds", true),
        ("elasticsearch_unreadable_ca", WithSender("""{"output_type": "elasticsearch", "elasticsearch_url": "https://es:9200", "ca": "@DIR@/nope.pem"}"""), "readers.r1.senders.s.ca", "no such file", true),
        ("rsyslog_without_server", WithSender("""{"output_type": "rsyslog"}"""), "readers.r1.senders.s.rsyslog_server", "required for output_type rsyslog", true),
        ("rsyslog_bad_format", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "format": "json"}"""), "readers.r1.senders.s.format", "must be rfc5424, rfc3164 or custom, not 'json'", true),
        ("rsyslog_custom_without_logline", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "format": "CUSTOM"}"""), "readers.r1.senders.s.logline", "required when format is custom", true),
        ("rsyslog_port_zero", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "rsyslog_port": 0}"""), "readers.r1.senders.s.rsyslog_port", "from 1 to 65535", true),
        ("rsyslog_facility_out_of_range", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "default_facility": 24}"""), "readers.r1.senders.s.default_facility", "from 0 to 23", true),
        ("rsyslog_max_message_size_zero", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "max_message_size": 0}"""), "readers.r1.senders.s.max_message_size", "must be at least 2 bytes", true),
        ("rsyslog_unreadable_ca_certs", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "ca_certs": "/nonexistent/ca.pem"}"""), "readers.r1.senders.s.ca_certs", "no such file", true),
        ("rsyslog_client_cert_is_directory", WithSender("""{"output_type": "rsyslog", "rsyslog_server": "h", "ssl": true, "client_cert": "@DIR@"}"""), "readers.r1.senders.s.client_cert", "is a directory, not a file", true),
        ("logplex_without_token", WithSender("""{"output_type": "logplex", "logplex_log_input_url": "https://lp/logs"}"""), "readers.r1.senders.s.logplex_token", "required for output_type logplex", true),
        ("websocket_http_uri", WithSender("""{"output_type": "websocket", "websocket_uri": "http://ws/"}"""), "readers.r1.senders.s.websocket_uri", "must be a ws:// or wss:// URI", true),
        ("websocket_unknown_compression", WithSender("""{"output_type": "websocket", "websocket_uri": "ws://ws/", "compression": "gzip"}"""), "readers.r1.senders.s.compression", "must be snappy or none, not 'gzip'", true),
        ("websocket_negative_batch", WithSender("""{"output_type": "websocket", "websocket_uri": "ws://ws/", "max_batch_size": -1}"""), "readers.r1.senders.s.max_batch_size", "must not be negative", true),
        ("websocket_bad_proxy", WithSender("""{"output_type": "websocket", "websocket_uri": "ws://ws/", "socks5_proxy": "proxy:1080"}"""), "readers.r1.senders.s.socks5_proxy", "socks5://", true),
        ("cloudwatch_without_stream", WithSender("""{"output_type": "aws_cloudwatch", "aws_cloudwatch_log_group": "g"}"""), "readers.r1.senders.s.aws_cloudwatch_log_stream", "required for output_type aws_cloudwatch", true),
        ("cloudwatch_key_without_secret", WithSender("""{"output_type": "aws_cloudwatch", "aws_cloudwatch_log_group": "g", "aws_cloudwatch_log_stream": "s", "aws_access_key_id": "AKIA"}"""), "readers.r1.senders.s.aws_secret_access_key", "required when aws_access_key_id is set", true),
        ("google_without_project_key", WithSender("""{"output_type": "google_cloud_logging", "google_cloud_logging_log_id": "l"}"""), "readers.r1.senders.s.google_cloud_logging_project_id", "required for output_type google_cloud_logging", true),
        ("google_credentials_path", WithSender("""{"output_type": "google_cloud_logging", "google_cloud_logging_project_id": "p", "google_cloud_logging_log_id": "l", "google_service_account_credentials": "/etc/key.json"}"""), "readers.r1.senders.s.google_service_account_credentials", "must be the service-account key object", true),
        ("google_credentials_without_private_key", WithSender("""{"output_type": "google_cloud_logging", "google_cloud_logging_project_id": "p", "google_cloud_logging_log_id": "l", "google_service_account_credentials": {"client_email": "a@b"}}"""), "readers.r1.senders.s.google_service_account_credentials.private_key", "required in a service-account key", true),
        ("file_without_output", WithSender("""{"output_type": "file"}"""), "readers.r1.senders.s.file_output", "required for output_type file", false),
        ("file_output_in_missing_directory", WithSender("""{"output_type": "file", "file_output": "@DIR@/no/such/dir/out.jsonl"}"""), "readers.r1.senders.s.file_output", "does not exist", false),
        ("file_output_is_directory", WithSender("""{"output_type": "file", "file_output": "@DIR@"}"""), "readers.r1.senders.s.file_output", "is a directory, not a file", false),
        ("unknown_field_filter", WithSender(FileSender("\"field_filter\": \"nope\"")), "readers.r1.senders.s.field_filter", "no field filter named 'nope'", false),
        ("unknown_unit_log_level", WithSender(FileSender("\"unit_log_level\": \"nope\"")), "readers.r1.senders.s.unit_log_level", "no unit log level list named 'nope'", false),
        ("negative_max_send_interval", WithSender(FileSender("\"max_send_interval\": -1")), "readers.r1.senders.s.max_send_interval", "zero or more seconds", false),
        ("max_send_interval_string", WithSender(FileSender("\"max_send_interval\": \"1s\"")), "readers.r1.senders.s.max_send_interval", "must be a number of seconds", false),
    ];

    private static IEnumerable<TestCaseData> BadConfigs() =>
        Cases.Select(c => new TestCaseData(c.Json, c.Path, c.Fragment, c.AllTypes).SetName($"Bad_config_is_an_error_at_its_path({c.Name})"));

    [TestCaseSource(nameof(BadConfigs))]
    public void Bad_config_is_an_error_at_its_path(string json, string path, string fragment, bool allOutputTypes)
    {
        var result = Load(json, allOutputTypes ? AllOutputTypes : null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Config, Is.Null, Describe(result));
            AssertProblem(result, ConfigSeverity.Error, path, fragment);
        }
    }

    [Test]
    public void There_are_at_least_thirty_bad_configs() => Assert.That(Cases, Has.Length.GreaterThanOrEqualTo(30));

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var result = Load(WithReader(
            """
            {"journal_flags": ["NOPE"], "initial_position": "start",
             "senders": {"k1": {"output_type": "kafka"}, "f": {"output_type": "file"}}}
            """,
            "\"log_level\": \"LOUD\""));
        var errorPaths = result.Errors.Select(e => e.Path).ToList();
        Assert.That(errorPaths, Is.SupersetOf(new[]
        {
            "log_level",
            "readers.r1.journal_flags[0]",
            "readers.r1.initial_position",
            "readers.r1.senders.k1.kafka_address",
            "readers.r1.senders.k1.kafka_topic",
            "readers.r1.senders.f.file_output",
        }), Describe(result));
    }

    [Test]
    public void Missing_file_names_the_path()
    {
        var path = Path.Combine(Dir, "does-not-exist.json");
        var result = new ConfigLoader().LoadFile(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Config, Is.Null);
            AssertProblem(result, ConfigSeverity.Error, "", $"Cannot start without json config file at '{path}'");
        }
    }

    [Test]
    public void Invalid_json_names_line_and_column()
    {
        var result = Load("{\n  \"readers\": {\n    \"r1\": oops\n  }\n}");
        AssertProblem(result, ConfigSeverity.Error, "", "at line 3");
    }

    [Test]
    public void Sender_type_keys_are_checked_even_when_the_sink_is_not_built()
    {
        var result = Load(WithSender("""{"output_type": "rsyslog", "format": "json"}"""));
        using (Assert.EnterMultipleScope())
        {
            AssertProblem(result, ConfigSeverity.Error, "readers.r1.senders.s.output_type", "not available in this build");
            AssertProblem(result, ConfigSeverity.Error, "readers.r1.senders.s.rsyslog_server", "required for output_type rsyslog");
            AssertProblem(result, ConfigSeverity.Error, "readers.r1.senders.s.format", "must be rfc5424");
        }
    }

    [Test]
    public void A_custom_pattern_hook_replaces_the_default_check()
    {
        var options = ConfigLoaderOptions.Default with { ValidatePattern = p => p.Contains("(?<=", StringComparison.Ordinal) ? "look-behind is not allowed here" : null };
        var result = Load(WithReader("""{"searches": [{"name": "s", "fields": {"MESSAGE": "(?<=a)b"}}]}"""), options);
        AssertProblem(result, ConfigSeverity.Error, "readers.r1.searches[0].fields.MESSAGE", "look-behind is not allowed here");
    }
}
