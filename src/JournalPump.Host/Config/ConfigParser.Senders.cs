using System.Text.Json;
using System.Text.RegularExpressions;

namespace JournalPump.Host.Config;

internal sealed partial class ConfigParser
{
    private static readonly Regex KafkaApiVersion = new(@"^(auto|[0-9]+(\.[0-9]+){1,3})$", RegexOptions.CultureInvariant);
    private static readonly Regex CloudWatchLogGroup = new(@"^[\.\-_/#A-Za-z0-9]{1,512}$", RegexOptions.CultureInvariant);

    private SenderConfig? ParseSender(string name, JsonObjectView sender)
    {
        var path = sender.Path;
        var outputType = String(sender, "output_type", required: $"required: one of {string.Join(", ", OutputTypes.All)}");
        var fieldFilter = String(sender, "field_filter");
        if (fieldFilter is not null && !_fieldFilterNames.Contains(fieldFilter))
        {
            problems.Error(ConfigProblems.Join(path, "field_filter"), $"no field filter named '{fieldFilter}' in field_filters{Defined(_fieldFilterNames)}");
        }

        var unitLogLevel = String(sender, "unit_log_level");
        if (unitLogLevel is not null && !_unitLogLevelNames.Contains(unitLogLevel))
        {
            problems.Error(ConfigProblems.Join(path, "unit_log_level"), $"no unit log level list named '{unitLogLevel}' in unit_log_levels{Defined(_unitLogLevelNames)}");
        }

        var extra = new List<KeyValuePair<string, JsonElement>>();
        if (sender.Get("extra_field_values") is { } extraValue)
        {
            if (extraValue.ValueKind == JsonValueKind.Object)
            {
                foreach (var (key, value) in JsonObjectView.Create(extraValue, ConfigProblems.Join(path, "extra_field_values"), problems).Members)
                {
                    extra.Add(new(key, value.Clone()));
                }
            }
            else
            {
                problems.Warning(ConfigProblems.Join(path, "extra_field_values"), $"ignored, as by journalpump: must be an object, not {Describe(extraValue)}");
            }
        }

        var maxSendInterval = Number(sender, "max_send_interval", allowZero: true);
        foreach (var key in (string[])["match_key", "match_value"])
        {
            if (sender.Has(key))
            {
                sender.MarkUsed(key);
                problems.Warning(ConfigProblems.Join(path, key), "ignored, as by journalpump: senders have no match_key/match_value (the sample config shows them); set them on the reader");
            }
        }

        if (outputType is null)
        {
            return null;
        }

        if (!OutputTypes.All.Contains(outputType))
        {
            problems.Error(ConfigProblems.Join(path, "output_type"), $"unknown output_type '{outputType}' (known: {string.Join(", ", OutputTypes.All)})");
            return null;
        }

        if (!options.AvailableOutputTypes.Contains(outputType))
        {
            problems.Error(ConfigProblems.Join(path, "output_type"), $"output_type {outputType} is not available in this build (its sink, {OutputTypes.SinkPackage(outputType)}, is not wired into the daemon yet)");
        }

        SenderSettings settings = outputType switch
        {
            OutputTypes.File => ParseFile(sender),
            OutputTypes.Kafka => ParseKafka(sender),
            OutputTypes.Elasticsearch => ParseElasticsearch(sender, SearchEngineFlavor.Elasticsearch),
            OutputTypes.OpenSearch => ParseElasticsearch(sender, SearchEngineFlavor.OpenSearch),
            OutputTypes.Rsyslog => ParseRsyslog(sender),
            OutputTypes.Logplex => ParseLogplex(sender),
            OutputTypes.WebSocket => ParseWebSocket(sender),
            OutputTypes.AwsCloudWatch => ParseCloudWatch(sender),
            _ => ParseGoogleCloudLogging(sender),
        };

        ReportUnknownKeys(sender, path, $"output_type {outputType}");
        return new SenderConfig
        {
            Name = name,
            FieldFilter = fieldFilter,
            UnitLogLevel = unitLogLevel,
            ExtraFieldValues = extra,
            MaxSendInterval = maxSendInterval ?? OutputTypes.DefaultMaxSendInterval(outputType),
            Settings = settings,
        };
    }

    private static string Defined(HashSet<string> names) =>
        names.Count == 0 ? " (none is defined)" : $" (defined: {string.Join(", ", names)})";

    private static string RequiredFor(string outputType) => $"required for output_type {outputType}";

    private FileSenderSettings ParseFile(JsonObjectView sender)
    {
        var output = String(sender, "file_output", required: RequiredFor(OutputTypes.File));
        if (output is not null && options.CheckWritableFile(output) is { } problem)
        {
            problems.Error(ConfigProblems.Join(sender.Path, "file_output"), problem);
        }

        return new FileSenderSettings(output ?? "");
    }

    /// <summary>TLS file keys that are read only when TLS is on: checked then, reported as ignored otherwise.</summary>
    private void TlsFiles(JsonObjectView sender, bool tls, string howToEnable, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (!sender.Has(key))
            {
                continue;
            }

            if (tls)
            {
                CheckReadable(sender, key, String(sender, key));
            }
            else
            {
                _ = String(sender, key);
                problems.Warning(ConfigProblems.Join(sender.Path, key), $"ignored: TLS is off ({howToEnable})");
            }
        }
    }

    private KafkaSenderSettings ParseKafka(JsonObjectView sender)
    {
        var path = sender.Path;
        var address = String(sender, "kafka_address", required: RequiredFor(OutputTypes.Kafka));
        if (address is not null)
        {
            CheckKafkaAddress(ConfigProblems.Join(path, "kafka_address"), address);
        }

        var topic = String(sender, "kafka_topic", required: RequiredFor(OutputTypes.Kafka));
        if (topic is { Length: 0 })
        {
            problems.Error(ConfigProblems.Join(path, "kafka_topic"), "must not be empty");
        }

        var apiVersion = String(sender, "kafka_api_version");
        if (apiVersion is not null && !KafkaApiVersion.IsMatch(apiVersion))
        {
            problems.Error(ConfigProblems.Join(path, "kafka_api_version"), $"must be \"auto\" or a dotted version such as \"2.8.0\", not '{apiVersion}'");
        }

        KafkaTopicConfig? topicConfig = null;
        if (Object(sender, "kafka_topic_config") is { } topicObject)
        {
            var partitions = Integer(topicObject, "num_partitions", 1, int.MaxValue, "must be at least 1");
            var replication = Integer(topicObject, "replication_factor", 1, short.MaxValue, "must be at least 1");
            topicConfig = new KafkaTopicConfig((int?)partitions, (int?)replication);
            if (topicObject.Has("num_partitions") != topicObject.Has("replication_factor"))
            {
                problems.Warning(topicObject.Path, "the topic is created only when both num_partitions and replication_factor are set");
            }

            ReportUnknownKeys(topicObject, topicObject.Path);
        }

        var ssl = Truthy(sender, "ssl");
        TlsFiles(sender, ssl, "set ssl to true", "ca", "certfile", "keyfile");
        int errorsBefore = problems.ErrorCount;
        var settings = new KafkaSenderSettings
        {
            KafkaAddress = address ?? "",
            KafkaTopic = topic ?? "",
            KafkaMsgKey = String(sender, "kafka_msg_key"),
            KafkaApiVersion = apiVersion,
            KafkaTopicConfig = topicConfig,
            Ssl = ssl,
            Ca = sender.Get("ca") is { ValueKind: JsonValueKind.String } ca ? ca.GetString() : null,
            Certfile = sender.Get("certfile") is { ValueKind: JsonValueKind.String } cert ? cert.GetString() : null,
            Keyfile = sender.Get("keyfile") is { ValueKind: JsonValueKind.String } key ? key.GetString() : null,
            Socks5Proxy = KafkaSocks5(sender),
            Sasl = KafkaSasl(sender),
            ProducerConfig = KafkaProducerConfig(sender),
        };

        // librdkafka checks the properties, certificates and keys itself, without connecting.
        if (problems.ErrorCount == errorsBefore)
        {
            foreach (var problem in options.ValidateKafka(settings))
            {
                problems.Error(path, "the Kafka producer refuses these settings: " + problem);
            }
        }

        return settings;
    }

    private string? KafkaSocks5(JsonObjectView sender)
    {
        var proxy = Socks5(sender);
        if (proxy is not null)
        {
            problems.Error(
                ConfigProblems.Join(sender.Path, "socks5_proxy"),
                "not supported for output_type kafka: the Kafka client (librdkafka) cannot connect through a SOCKS5 proxy, and journalpump honours it only with a patched client; remove it and give the brokers a route");
        }

        return proxy;
    }

    private KafkaSaslConfig? KafkaSasl(JsonObjectView sender)
    {
        var path = sender.Path;
        var mechanism = String(sender, "sasl_mechanism");
        var username = String(sender, "sasl_plain_username");
        var password = String(sender, "sasl_plain_password");
        if (mechanism is null)
        {
            if (username is not null || password is not null)
            {
                problems.Error(ConfigProblems.Join(path, "sasl_mechanism"), "required with sasl_plain_username and sasl_plain_password: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            }

            return null;
        }

        var known = KafkaSaslConfig.Mechanisms.FirstOrDefault(m => m.Equals(mechanism, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            problems.Error(ConfigProblems.Join(path, "sasl_mechanism"), $"must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '{mechanism}'");
        }

        if (username is null)
        {
            problems.Error(ConfigProblems.Join(path, "sasl_plain_username"), $"required with sasl_mechanism {mechanism}");
        }

        if (password is null)
        {
            problems.Error(ConfigProblems.Join(path, "sasl_plain_password"), $"required with sasl_mechanism {mechanism}");
        }

        return known is null || username is null || password is null ? null : new KafkaSaslConfig(known, username, password);
    }

    private List<KeyValuePair<string, string>>? KafkaProducerConfig(JsonObjectView sender)
    {
        if (Object(sender, "kafka_producer_config") is not { } config)
        {
            return null;
        }

        var properties = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in config.Members)
        {
            var itemPath = ConfigProblems.Join(config.Path, key);
            _ = config.Get(key);
            string? text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is null)
            {
                problems.Error(itemPath, $"must be a string, a number or a boolean (a librdkafka producer property), not {Describe(value)}");
            }
            else if (Sinks.Kafka.KafkaProducerSettings.IsReserved(key))
            {
                problems.Error(itemPath, "cannot be set here: the Kafka output sets it (the brokers come from kafka_address)");
            }
            else
            {
                properties.Add(new(key, text));
            }
        }

        return properties;
    }

    private void CheckKafkaAddress(string path, string address)
    {
        foreach (var part in address.Split(','))
        {
            var server = part.Trim();
            var colon = server.LastIndexOf(':');
            var host = colon >= 0 && !server.EndsWith(']') ? server[..colon] : server;
            var port = colon >= 0 && !server.EndsWith(']') ? server[(colon + 1)..] : null;
            if (host.Length == 0 || (port is not null && !(int.TryParse(port, out var number) && number is >= 1 and <= 65535)))
            {
                problems.Error(path, $"'{server}' is not host[:port] (a comma-separated list of bootstrap servers, default port 9092)");
            }
        }
    }

    private string? Socks5(JsonObjectView sender)
    {
        var proxy = String(sender, "socks5_proxy");
        if (proxy is not null && !(Uri.TryCreate(proxy, UriKind.Absolute, out var uri)
            && uri.Scheme is "socks5" or "socks5h" && uri.Host.Length > 0 && uri.Port > 0))
        {
            problems.Error(ConfigProblems.Join(sender.Path, "socks5_proxy"), "must be a URL socks5://[user:password@]host:port");
        }

        return proxy;
    }

    private ElasticsearchSenderSettings ParseElasticsearch(JsonObjectView sender, SearchEngineFlavor flavor)
    {
        var type = flavor == SearchEngineFlavor.OpenSearch ? OutputTypes.OpenSearch : OutputTypes.Elasticsearch;
        var url = String(sender, type + "_url", required: RequiredFor(type));
        if (url is not null && !IsAbsoluteUrl(url, "http", "https"))
        {
            problems.Error(ConfigProblems.Join(sender.Path, type + "_url"), "must be an http:// or https:// URL");
        }

        var prefix = String(sender, type + "_index_prefix") ?? ElasticsearchSenderSettings.DefaultIndexPrefix;
        if (prefix.Length == 0)
        {
            problems.Error(ConfigProblems.Join(sender.Path, type + "_index_prefix"), "must not be empty");
        }

        var daysMax = Integer(sender, type + "_index_days_max", 1, int.MaxValue, "must be at least 1 (older daily indices are deleted)");
        var timeout = Number(sender, type + "_timeout", allowZero: false);
        string? ca = null;
        var verify = true;
        if (sender.Get("ca") is { } caValue)
        {
            if (caValue.ValueKind == JsonValueKind.False)
            {
                verify = false;
                problems.Info(ConfigProblems.Join(sender.Path, "ca"), "false: TLS certificates are not verified");
            }
            else
            {
                ca = String(sender, "ca");
                CheckReadable(sender, "ca", ca);
            }
        }

        return new ElasticsearchSenderSettings
        {
            Flavor = flavor,
            Url = (url ?? "").TrimEnd('/'),
            IndexPrefix = prefix,
            IndexDaysMax = (int?)daysMax ?? ElasticsearchSenderSettings.DefaultIndexDaysMax,
            Timeout = timeout ?? ElasticsearchSenderSettings.DefaultTimeout,
            Ca = ca,
            VerifyCertificates = verify,
        };
    }

    private RsyslogSenderSettings ParseRsyslog(JsonObjectView sender)
    {
        var path = sender.Path;
        var server = String(sender, "rsyslog_server", required: RequiredFor(OutputTypes.Rsyslog));
        if (server is { Length: 0 })
        {
            problems.Error(ConfigProblems.Join(path, "rsyslog_server"), "must not be empty");
        }

        var port = Integer(sender, "rsyslog_port", 1, 65535, "must be a port number from 1 to 65535");
        var formatText = String(sender, "format");
        var format = RsyslogFormat.Rfc5424;
        if (formatText is not null)
        {
            switch (formatText.ToLowerInvariant())
            {
                case "rfc5424": format = RsyslogFormat.Rfc5424; break;
                case "rfc3164": format = RsyslogFormat.Rfc3164; break;
                case "custom": format = RsyslogFormat.Custom; break;
                default:
                    problems.Error(ConfigProblems.Join(path, "format"), $"must be rfc5424, rfc3164 or custom, not '{formatText}'");
                    break;
            }
        }

        var logline = String(sender, "logline", required: format == RsyslogFormat.Custom ? "required when format is custom" : null);
        if (logline is not null && format != RsyslogFormat.Custom)
        {
            problems.Warning(ConfigProblems.Join(path, "logline"), "ignored: format is not custom");
        }

        if (logline is not null && logline.Contains("%procotol-version%", StringComparison.Ordinal))
        {
            problems.Warning(ConfigProblems.Join(path, "logline"), "%procotol-version% (the README's spelling) is not a token and becomes '-'; the token is %protocol-version%");
        }

        var facility = Integer(sender, "default_facility", 0, 23, "must be a syslog facility from 0 to 23");
        var severity = Integer(sender, "default_severity", 0, 7, "must be a syslog severity from 0 to 7");
        var ssl = false;
        if (sender.Get("ssl") is { } sslValue)
        {
            ssl = sslValue.ValueKind == JsonValueKind.True;
            if (!ssl && sslValue.ValueKind != JsonValueKind.False)
            {
                problems.Warning(ConfigProblems.Join(path, "ssl"), $"only the JSON literal true enables TLS; {Show(sslValue)} is treated as false");
            }
        }

        var caCerts = String(sender, "ca_certs");
        CheckReadable(sender, "ca_certs", caCerts);
        TlsFiles(sender, ssl || caCerts is not null, "set ssl to true or give ca_certs", "client_cert", "client_key");
        if (sender.Has("ca"))
        {
            sender.MarkUsed("ca");
            problems.Warning(ConfigProblems.Join(path, "ca"), "ignored, as by journalpump: rsyslog reads its CA bundle from ca_certs (the README says ca)");
        }

        var maxMessageSize = Integer(sender, "max_message_size", 2, int.MaxValue, "must be at least 2 bytes (the line including its newline)");
        return new RsyslogSenderSettings
        {
            Server = server ?? "",
            Port = (int?)port ?? RsyslogSenderSettings.DefaultPort,
            Format = format,
            Logline = logline,
            StructuredData = String(sender, "structured_data"),
            DefaultFacility = (int?)facility ?? 1,
            DefaultSeverity = (int?)severity ?? 6,
            Ssl = ssl,
            CaCerts = caCerts,
            ClientCert = sender.Get("client_cert") is { ValueKind: JsonValueKind.String } cert ? cert.GetString() : null,
            ClientKey = sender.Get("client_key") is { ValueKind: JsonValueKind.String } key ? key.GetString() : null,
            MaxMessageSize = (int?)maxMessageSize ?? RsyslogSenderSettings.DefaultMaxMessageSize,
            VerifyHostname = Bool(sender, "rsyslog_verify_hostname") ?? false,
        };
    }

    private LogplexSenderSettings ParseLogplex(JsonObjectView sender)
    {
        var url = String(sender, "logplex_log_input_url", required: RequiredFor(OutputTypes.Logplex));
        if (url is not null && !IsAbsoluteUrl(url, "http", "https"))
        {
            problems.Error(ConfigProblems.Join(sender.Path, "logplex_log_input_url"), "must be an http:// or https:// URL");
        }

        var token = String(sender, "logplex_token", required: RequiredFor(OutputTypes.Logplex));
        if (token is { Length: 0 })
        {
            problems.Error(ConfigProblems.Join(sender.Path, "logplex_token"), "must not be empty");
        }

        return new LogplexSenderSettings
        {
            LogInputUrl = url ?? "",
            Token = token ?? "",
            RequestTimeout = Number(sender, "logplex_request_timeout", allowZero: false) ?? 2,
        };
    }

    private WebSocketSenderSettings ParseWebSocket(JsonObjectView sender)
    {
        var path = sender.Path;
        var uri = String(sender, "websocket_uri", required: RequiredFor(OutputTypes.WebSocket));
        if (uri is not null && !IsAbsoluteUrl(uri, "ws", "wss"))
        {
            problems.Error(ConfigProblems.Join(path, "websocket_uri"), "must be a ws:// or wss:// URI");
        }

        var ssl = Truthy(sender, "ssl");
        TlsFiles(sender, ssl, "set ssl to true", "ca", "certfile", "keyfile");
        var maxBatchSize = Integer(sender, "max_batch_size", 0, int.MaxValue, "must not be negative (0 disables batching)");
        var compression = WebSocketPayloadCompression.Snappy;
        switch (String(sender, "compression"))
        {
            case null or "snappy": break;
            case "none": compression = WebSocketPayloadCompression.None; break;
            case var other:
                problems.Error(ConfigProblems.Join(path, "compression"), $"must be snappy or none, not '{other}'");
                break;
        }

        var deflate = false;
        switch (String(sender, "websocket_compression"))
        {
            case null or "none": break;
            case "deflate": deflate = true; break;
            case var other:
                problems.Error(ConfigProblems.Join(path, "websocket_compression"), $"must be deflate or none, not '{other}'");
                break;
        }

        return new WebSocketSenderSettings
        {
            Uri = uri ?? "",
            Ssl = ssl,
            Ca = sender.Get("ca") is { ValueKind: JsonValueKind.String } ca ? ca.GetString() : null,
            Certfile = sender.Get("certfile") is { ValueKind: JsonValueKind.String } cert ? cert.GetString() : null,
            Keyfile = sender.Get("keyfile") is { ValueKind: JsonValueKind.String } key ? key.GetString() : null,
            Socks5Proxy = Socks5(sender),
            MaxBatchSize = (int?)maxBatchSize ?? WebSocketSenderSettings.DefaultMaxBatchSize,
            Compression = compression,
            PerMessageDeflate = deflate,
        };
    }

    private CloudWatchSenderSettings ParseCloudWatch(JsonObjectView sender)
    {
        var path = sender.Path;
        var group = String(sender, "aws_cloudwatch_log_group", required: RequiredFor(OutputTypes.AwsCloudWatch));
        if (group is not null && !CloudWatchLogGroup.IsMatch(group))
        {
            problems.Error(ConfigProblems.Join(path, "aws_cloudwatch_log_group"), "must be 1-512 characters of letters, digits, '_', '-', '/', '.' and '#'");
        }

        var stream = String(sender, "aws_cloudwatch_log_stream", required: RequiredFor(OutputTypes.AwsCloudWatch));
        if (stream is not null && (stream.Length is 0 or > 512 || stream.Contains(':', StringComparison.Ordinal) || stream.Contains('*', StringComparison.Ordinal)))
        {
            problems.Error(ConfigProblems.Join(path, "aws_cloudwatch_log_stream"), "must be 1-512 characters without ':' or '*'");
        }

        var keyId = String(sender, "aws_access_key_id");
        var secret = String(sender, "aws_secret_access_key");
        if (keyId is not null && secret is null)
        {
            problems.Error(ConfigProblems.Join(path, "aws_secret_access_key"), "required when aws_access_key_id is set");
        }
        else if (keyId is null && secret is not null)
        {
            problems.Error(ConfigProblems.Join(path, "aws_access_key_id"), "required when aws_secret_access_key is set");
        }

        return new CloudWatchSenderSettings
        {
            LogGroup = group ?? "",
            LogStream = stream ?? "",
            Region = String(sender, "aws_region"),
            AccessKeyId = keyId,
            SecretAccessKey = secret,
        };
    }

    private GoogleCloudLoggingSenderSettings ParseGoogleCloudLogging(JsonObjectView sender)
    {
        var path = sender.Path;
        const string projectKey = "google_cloud_logging_project_id";
        var projectPresent = sender.TryGetRaw(projectKey, out _);
        if (!projectPresent)
        {
            problems.Error(ConfigProblems.Join(path, projectKey), RequiredFor(OutputTypes.GoogleCloudLogging) + " (the service-account credentials' project_id replaces it when given)");
        }

        var projectId = String(sender, projectKey);
        var logId = String(sender, "google_cloud_logging_log_id", required: RequiredFor(OutputTypes.GoogleCloudLogging));
        if (logId is { Length: 0 })
        {
            problems.Error(ConfigProblems.Join(path, "google_cloud_logging_log_id"), "must not be empty");
        }

        var labels = StringMap(sender, "google_cloud_logging_resource_labels");
        JsonElement? credentials = null;
        const string credentialsKey = "google_service_account_credentials";
        if (sender.Get(credentialsKey) is { } credentialsValue)
        {
            var credentialsPath = ConfigProblems.Join(path, credentialsKey);
            if (credentialsValue.ValueKind != JsonValueKind.Object)
            {
                problems.Error(credentialsPath, $"must be the service-account key object (the content of its JSON key file, not its path), not {Describe(credentialsValue)}");
            }
            else
            {
                credentials = credentialsValue.Clone();
                foreach (var required in (string[])["client_email", "private_key"])
                {
                    if (!(credentialsValue.TryGetProperty(required, out var field) && field.ValueKind == JsonValueKind.String))
                    {
                        problems.Error(ConfigProblems.Join(credentialsPath, required), "required in a service-account key");
                    }
                }

                if (credentialsValue.TryGetProperty("project_id", out var id) && id.ValueKind == JsonValueKind.String
                    && projectId is not null && id.GetString() != projectId)
                {
                    problems.Info(ConfigProblems.Join(path, projectKey), $"replaced by the credentials' project_id '{id.GetString()}', as by journalpump");
                }
            }
        }

        var hasCredentialsProject = credentials is { } c && c.TryGetProperty("project_id", out var p) && p.ValueKind == JsonValueKind.String;
        if (projectPresent && string.IsNullOrEmpty(projectId) && !hasCredentialsProject)
        {
            problems.Error(ConfigProblems.Join(path, projectKey), "must name a project (no service-account credentials with a project_id are given)");
        }

        var endpoint = String(sender, "google_cloud_logging_api_endpoint");
        if (endpoint is not null && !IsAbsoluteUrl(endpoint, "http", "https"))
        {
            problems.Error(ConfigProblems.Join(path, "google_cloud_logging_api_endpoint"), "must be an http:// or https:// URL");
        }

        return new GoogleCloudLoggingSenderSettings
        {
            ProjectId = projectId,
            LogId = logId ?? "",
            ResourceLabels = labels,
            ServiceAccountCredentials = credentials,
            ApiEndpoint = endpoint ?? GoogleCloudLoggingSenderSettings.DefaultApiEndpoint,
        };
    }
}
