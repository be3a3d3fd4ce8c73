using System.Text.Json;

namespace JournalPump.Host.Config;

/// <summary>One sender, <c>readers.&lt;r&gt;.senders.&lt;name&gt;</c>: the keys common to every output type (spec 2.3) and the type's own settings (spec 6).</summary>
internal sealed record SenderConfig
{
    /// <summary>The sender's name (its key in <c>senders</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>output_type</c>, one of <see cref="OutputTypes.All"/>.</summary>
    public string OutputType => Settings.OutputType;

    /// <summary><c>field_filter</c>: the name of a top-level field filter, which exists.</summary>
    public string? FieldFilter { get; init; }

    /// <summary><c>unit_log_level</c>: the name of a top-level unit log level list, which exists.</summary>
    public string? UnitLogLevel { get; init; }

    /// <summary><c>extra_field_values</c>: fields merged into every record, in config order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> ExtraFieldValues { get; init; } = [];

    /// <summary><c>max_send_interval</c>, seconds; defaulted per output type (spec 6.0).</summary>
    public required double MaxSendInterval { get; init; }

    /// <summary>The output type's own keys.</summary>
    public required SenderSettings Settings { get; init; }
}

/// <summary>The keys of one output type. One derived record per output type.</summary>
internal abstract record SenderSettings
{
    /// <summary>The <c>output_type</c> value.</summary>
    public abstract string OutputType { get; }

    /// <summary>The sender class name upstream writes as <c>type</c> in the state file (spec 3.5).</summary>
    public string StateTypeName => OutputTypes.StateTypeName(OutputType);

    /// <summary>Writes the type's keys (not <c>output_type</c>) with effective values, secrets masked.</summary>
    internal abstract void WriteKeys(ConfigJsonWriter writer);
}

/// <summary><c>output_type: file</c> (spec 6.6).</summary>
internal sealed record FileSenderSettings(string FileOutput) : SenderSettings
{
    /// <inheritdoc />
    public override string OutputType => OutputTypes.File;

    internal override void WriteKeys(ConfigJsonWriter writer) => writer.String("file_output", FileOutput);
}

/// <summary><c>kafka_topic_config</c>: create the topic when both values are present.</summary>
/// <param name="NumPartitions"><c>num_partitions</c>.</param>
/// <param name="ReplicationFactor"><c>replication_factor</c>.</param>
internal sealed record KafkaTopicConfig(int? NumPartitions, int? ReplicationFactor)
{
    /// <summary>Upstream creates the topic only when both values are present.</summary>
    public bool CreatesTopic => NumPartitions is not null && ReplicationFactor is not null;
}

/// <summary>SASL for Kafka (an addition: journalpump has none): <c>sasl_mechanism</c>, <c>sasl_plain_username</c>, <c>sasl_plain_password</c>.</summary>
/// <param name="Mechanism"><c>PLAIN</c>, <c>SCRAM-SHA-256</c> or <c>SCRAM-SHA-512</c>.</param>
/// <param name="Username">The user name.</param>
/// <param name="Password">The password.</param>
internal sealed record KafkaSaslConfig(string Mechanism, string Username, string Password)
{
    /// <summary>The mechanisms, as librdkafka names them.</summary>
    public static readonly string[] Mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
}

/// <summary><c>output_type: kafka</c> (spec 6.2).</summary>
internal sealed record KafkaSenderSettings : SenderSettings
{
    /// <inheritdoc />
    public override string OutputType => OutputTypes.Kafka;

    /// <summary><c>kafka_address</c>: bootstrap servers, comma-separated <c>host[:port]</c> (default port 9092).</summary>
    public required string KafkaAddress { get; init; }

    /// <summary><c>kafka_topic</c>.</summary>
    public required string KafkaTopic { get; init; }

    /// <summary><c>kafka_msg_key</c>: a static key for every record; null key when absent.</summary>
    public string? KafkaMsgKey { get; init; }

    /// <summary><c>kafka_api_version</c>: <c>"auto"</c> or a dotted version; null means auto-negotiate.</summary>
    public string? KafkaApiVersion { get; init; }

    /// <summary><c>kafka_topic_config</c>.</summary>
    public KafkaTopicConfig? KafkaTopicConfig { get; init; }

    /// <summary><c>ssl</c>: any truthy value enables TLS.</summary>
    public bool Ssl { get; init; }

    /// <summary><c>ca</c>: CA bundle (PEM).</summary>
    public string? Ca { get; init; }

    /// <summary><c>certfile</c>: client certificate (PEM).</summary>
    public string? Certfile { get; init; }

    /// <summary><c>keyfile</c>: client key (PEM).</summary>
    public string? Keyfile { get; init; }

    /// <summary><c>socks5_proxy</c>: refused for Kafka (librdkafka has no SOCKS5 support).</summary>
    public string? Socks5Proxy { get; init; }

    /// <summary>SASL authentication (our addition), or null.</summary>
    public KafkaSaslConfig? Sasl { get; init; }

    /// <summary><c>kafka_producer_config</c> (our addition): librdkafka producer properties, applied last.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ProducerConfig { get; init; }

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.String("kafka_address", KafkaAddress);
        writer.String("kafka_topic", KafkaTopic);
        writer.String("kafka_msg_key", KafkaMsgKey);
        writer.String("kafka_api_version", KafkaApiVersion);
        if (KafkaTopicConfig is null)
        {
            writer.Null("kafka_topic_config");
        }
        else
        {
            writer.StartObject("kafka_topic_config");
            writer.Integer("num_partitions", KafkaTopicConfig.NumPartitions);
            writer.Integer("replication_factor", KafkaTopicConfig.ReplicationFactor);
            writer.EndObject();
        }

        writer.Bool("ssl", Ssl);
        writer.String("ca", Ca);
        writer.String("certfile", Certfile);
        writer.String("keyfile", Keyfile);
        writer.Url("socks5_proxy", Socks5Proxy);
        writer.String("sasl_mechanism", Sasl?.Mechanism);
        writer.String("sasl_plain_username", Sasl?.Username);
        writer.Secret("sasl_plain_password", Sasl?.Password);
        writer.StringMap("kafka_producer_config", ProducerConfig);
    }
}

/// <summary>Elasticsearch or OpenSearch.</summary>
internal enum SearchEngineFlavor
{
    /// <summary><c>output_type: elasticsearch</c>.</summary>
    Elasticsearch,

    /// <summary><c>output_type: opensearch</c>.</summary>
    OpenSearch,
}

/// <summary><c>output_type: elasticsearch</c> and <c>opensearch</c> (spec 6.1); keys are prefixed with the type name.</summary>
internal sealed record ElasticsearchSenderSettings : SenderSettings
{
    /// <summary>The default of <c>&lt;t&gt;_index_prefix</c>.</summary>
    public const string DefaultIndexPrefix = "journalpump";

    /// <summary>The default of <c>&lt;t&gt;_index_days_max</c>.</summary>
    public const int DefaultIndexDaysMax = 3;

    /// <summary>The default of <c>&lt;t&gt;_timeout</c>, seconds (the README's 10.0 is wrong).</summary>
    public const double DefaultTimeout = 60.0;

    /// <summary>Which engine, which is also the key prefix.</summary>
    public required SearchEngineFlavor Flavor { get; init; }

    /// <inheritdoc />
    public override string OutputType => Flavor == SearchEngineFlavor.OpenSearch ? OutputTypes.OpenSearch : OutputTypes.Elasticsearch;

    /// <summary><c>&lt;t&gt;_url</c> without trailing <c>/</c>; may hold <c>user:password@</c>.</summary>
    public required string Url { get; init; }

    /// <summary><c>&lt;t&gt;_index_prefix</c>.</summary>
    public string IndexPrefix { get; init; } = DefaultIndexPrefix;

    /// <summary><c>&lt;t&gt;_index_days_max</c>: daily indices to keep, at least 1.</summary>
    public int IndexDaysMax { get; init; } = DefaultIndexDaysMax;

    /// <summary><c>&lt;t&gt;_timeout</c>, seconds, for every request; the bulk request uses twice this.</summary>
    public double Timeout { get; init; } = DefaultTimeout;

    /// <summary><c>ca</c> when it is a path: the CA bundle for TLS verification.</summary>
    public string? Ca { get; init; }

    /// <summary>False when <c>ca</c> is the JSON literal <c>false</c> (verification disabled).</summary>
    public bool VerifyCertificates { get; init; } = true;

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.Url(OutputType + "_url", Url);
        writer.String(OutputType + "_index_prefix", IndexPrefix);
        writer.Integer(OutputType + "_index_days_max", IndexDaysMax);
        writer.Number(OutputType + "_timeout", Timeout);
        if (VerifyCertificates)
        {
            writer.String("ca", Ca);
        }
        else
        {
            writer.Bool("ca", false);
        }
    }
}

/// <summary>The rsyslog line format.</summary>
internal enum RsyslogFormat
{
    /// <summary><c>rfc5424</c>.</summary>
    Rfc5424,

    /// <summary><c>rfc3164</c>.</summary>
    Rfc3164,

    /// <summary><c>custom</c>: the <c>logline</c> template.</summary>
    Custom,
}

/// <summary><c>output_type: rsyslog</c> (spec 6.3).</summary>
internal sealed record RsyslogSenderSettings : SenderSettings
{
    /// <summary>The default of <c>rsyslog_port</c>.</summary>
    public const int DefaultPort = 514;

    /// <summary>The default of <c>max_message_size</c>.</summary>
    public const int DefaultMaxMessageSize = 2048;

    /// <inheritdoc />
    public override string OutputType => OutputTypes.Rsyslog;

    /// <summary><c>rsyslog_server</c>.</summary>
    public required string Server { get; init; }

    /// <summary><c>rsyslog_port</c>.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary><c>format</c>, case-insensitive in the file.</summary>
    public RsyslogFormat Format { get; init; } = RsyslogFormat.Rfc5424;

    /// <summary><c>logline</c>: the template for <see cref="RsyslogFormat.Custom"/>.</summary>
    public string? Logline { get; init; }

    /// <summary><c>structured_data</c>: raw SD text without brackets.</summary>
    public string? StructuredData { get; init; }

    /// <summary><c>default_facility</c>, 0-23.</summary>
    public int DefaultFacility { get; init; } = 1;

    /// <summary><c>default_severity</c>, 0-7.</summary>
    public int DefaultSeverity { get; init; } = 6;

    /// <summary><c>ssl</c>: only the JSON literal <c>true</c>.</summary>
    public bool Ssl { get; init; }

    /// <summary><c>ca_certs</c>: its presence alone enables TLS.</summary>
    public string? CaCerts { get; init; }

    /// <summary><c>client_cert</c>.</summary>
    public string? ClientCert { get; init; }

    /// <summary><c>client_key</c>.</summary>
    public string? ClientKey { get; init; }

    /// <summary><c>max_message_size</c>: bytes per line including the newline.</summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary><c>rsyslog_verify_hostname</c> (ours): check the server's host name in TLS.</summary>
    public bool VerifyHostname { get; init; }

    /// <summary>TLS is on when <c>ssl</c> is true or <c>ca_certs</c> is set.</summary>
    public bool UseTls => Ssl || CaCerts is not null;

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.String("rsyslog_server", Server);
        writer.Integer("rsyslog_port", Port);
        writer.String("format", Format.ToString().ToLowerInvariant());
        writer.String("logline", Logline);
        writer.String("structured_data", StructuredData);
        writer.Integer("default_facility", DefaultFacility);
        writer.Integer("default_severity", DefaultSeverity);
        writer.Bool("ssl", Ssl);
        writer.String("ca_certs", CaCerts);
        writer.String("client_cert", ClientCert);
        writer.String("client_key", ClientKey);
        writer.Integer("max_message_size", MaxMessageSize);
        writer.Bool("rsyslog_verify_hostname", VerifyHostname);
    }
}

/// <summary><c>output_type: logplex</c> (spec 6.4).</summary>
internal sealed record LogplexSenderSettings : SenderSettings
{
    /// <inheritdoc />
    public override string OutputType => OutputTypes.Logplex;

    /// <summary><c>logplex_log_input_url</c>.</summary>
    public required string LogInputUrl { get; init; }

    /// <summary><c>logplex_token</c> (a secret).</summary>
    public required string Token { get; init; }

    /// <summary><c>logplex_request_timeout</c>, seconds.</summary>
    public double RequestTimeout { get; init; } = 2;

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.Url("logplex_log_input_url", LogInputUrl);
        writer.Secret("logplex_token", Token);
        writer.Number("logplex_request_timeout", RequestTimeout);
    }
}

/// <summary>Application-level compression of websocket payloads.</summary>
internal enum WebSocketPayloadCompression
{
    /// <summary><c>snappy</c>: raw snappy blocks.</summary>
    Snappy,

    /// <summary><c>none</c>.</summary>
    None,
}

/// <summary><c>output_type: websocket</c> (spec 6.5).</summary>
internal sealed record WebSocketSenderSettings : SenderSettings
{
    /// <summary>The default of <c>max_batch_size</c>.</summary>
    public const int DefaultMaxBatchSize = 1_048_576;

    /// <inheritdoc />
    public override string OutputType => OutputTypes.WebSocket;

    /// <summary><c>websocket_uri</c>: <c>ws://</c> or <c>wss://</c>.</summary>
    public required string Uri { get; init; }

    /// <summary><c>ssl</c>: truthy builds a TLS context from <c>ca</c>, <c>certfile</c>, <c>keyfile</c>.</summary>
    public bool Ssl { get; init; }

    /// <summary><c>ca</c>.</summary>
    public string? Ca { get; init; }

    /// <summary><c>certfile</c>.</summary>
    public string? Certfile { get; init; }

    /// <summary><c>keyfile</c>.</summary>
    public string? Keyfile { get; init; }

    /// <summary><c>socks5_proxy</c>: <c>socks5://[user:pass@]host:port</c>.</summary>
    public string? Socks5Proxy { get; init; }

    /// <summary><c>max_batch_size</c>: 0 disables batching.</summary>
    public int MaxBatchSize { get; init; } = DefaultMaxBatchSize;

    /// <summary><c>compression</c>.</summary>
    public WebSocketPayloadCompression Compression { get; init; } = WebSocketPayloadCompression.Snappy;

    /// <summary><c>websocket_compression</c>: <c>deflate</c> enables permessage-deflate.</summary>
    public bool PerMessageDeflate { get; init; }

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.Url("websocket_uri", Uri);
        writer.Bool("ssl", Ssl);
        writer.String("ca", Ca);
        writer.String("certfile", Certfile);
        writer.String("keyfile", Keyfile);
        writer.Url("socks5_proxy", Socks5Proxy);
        writer.Integer("max_batch_size", MaxBatchSize);
        writer.String("compression", Compression == WebSocketPayloadCompression.Snappy ? "snappy" : "none");
        writer.String("websocket_compression", PerMessageDeflate ? "deflate" : "none");
    }
}

/// <summary><c>output_type: aws_cloudwatch</c> (spec 6.7).</summary>
internal sealed record CloudWatchSenderSettings : SenderSettings
{
    /// <inheritdoc />
    public override string OutputType => OutputTypes.AwsCloudWatch;

    /// <summary><c>aws_cloudwatch_log_group</c>.</summary>
    public required string LogGroup { get; init; }

    /// <summary><c>aws_cloudwatch_log_stream</c>.</summary>
    public required string LogStream { get; init; }

    /// <summary><c>aws_region</c>; null means the SDK's default chain.</summary>
    public string? Region { get; init; }

    /// <summary><c>aws_access_key_id</c>; null means the SDK's default chain.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary><c>aws_secret_access_key</c> (a secret).</summary>
    public string? SecretAccessKey { get; init; }

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.String("aws_cloudwatch_log_group", LogGroup);
        writer.String("aws_cloudwatch_log_stream", LogStream);
        writer.String("aws_region", Region);
        writer.Secret("aws_access_key_id", AccessKeyId);
        writer.Secret("aws_secret_access_key", SecretAccessKey);
    }
}

/// <summary><c>output_type: google_cloud_logging</c> (spec 6.8).</summary>
internal sealed record GoogleCloudLoggingSenderSettings : SenderSettings
{
    /// <summary>The default of <c>google_cloud_logging_api_endpoint</c>.</summary>
    public const string DefaultApiEndpoint = "https://logging.googleapis.com";

    /// <inheritdoc />
    public override string OutputType => OutputTypes.GoogleCloudLogging;

    /// <summary><c>google_cloud_logging_project_id</c> as configured (the credentials' project id replaces it, as upstream).</summary>
    public string? ProjectId { get; init; }

    /// <summary><c>google_cloud_logging_log_id</c>.</summary>
    public required string LogId { get; init; }

    /// <summary><c>google_cloud_logging_resource_labels</c>, in config order; null when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ResourceLabels { get; init; }

    /// <summary><c>google_service_account_credentials</c>: the service-account key object (a secret); null means application default credentials.</summary>
    public JsonElement? ServiceAccountCredentials { get; init; }

    /// <summary>The project the entries are written to: the credentials' <c>project_id</c> when present, else <see cref="ProjectId"/>.</summary>
    public string? EffectiveProjectId =>
        ServiceAccountCredentials is { ValueKind: JsonValueKind.Object } credentials
        && credentials.TryGetProperty("project_id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : ProjectId;

    /// <summary><c>google_cloud_logging_api_endpoint</c> (ours, for tests).</summary>
    public string ApiEndpoint { get; init; } = DefaultApiEndpoint;

    internal override void WriteKeys(ConfigJsonWriter writer)
    {
        writer.String("google_cloud_logging_project_id", ProjectId);
        writer.String("google_cloud_logging_log_id", LogId);
        writer.StringMap("google_cloud_logging_resource_labels", ResourceLabels);
        writer.Secret("google_service_account_credentials", ServiceAccountCredentials is null ? null : "set");
        writer.Url("google_cloud_logging_api_endpoint", ApiEndpoint);
    }
}
