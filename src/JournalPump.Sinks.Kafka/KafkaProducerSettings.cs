using System.Globalization;
using Confluent.Kafka;

namespace JournalPump.Sinks.Kafka;

/// <summary>
/// The librdkafka producer properties a <see cref="KafkaSinkOptions"/> stands for, and their validation.
/// </summary>
/// <remarks>
/// Defaults: <c>acks=all</c> with the idempotent producer (a record counts as delivered once every in-sync
/// replica has it, and librdkafka's own retries neither duplicate nor reorder it), <c>partitioner=murmur2_random</c>
/// (keyed records land on the partition Java clients and journalpump choose), <c>compression.type=zstd</c> (what
/// journalpump uses when it can), <c>linger.ms=2</c> (a batch waits for all its reports, so a longer linger only delays its end), reconnect backoff 1 s to 10 s (journalpump's), and
/// <c>message.max.bytes</c> from <see cref="KafkaSinkOptions.MaxMessageBytes"/>.
/// </remarks>
public static class KafkaProducerSettings
{
    private static readonly string[] SecretWords = ["password", "secret", "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key"];

    /// <summary>
    /// Properties <see cref="KafkaSinkOptions.ProducerProperties"/> may not set: the brokers come from
    /// <see cref="KafkaSinkOptions.BootstrapServers"/>; delivery reports and transactions belong to the sink.
    /// </summary>
    public static IReadOnlySet<string> ReservedProperties { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "bootstrap.servers", "metadata.broker.list", "delivery.report.only.error", "transactional.id",
    };

    /// <summary>Whether <see cref="KafkaSinkOptions.ProducerProperties"/> may not set a property: <see cref="ReservedProperties"/> and <c>dotnet.*</c>.</summary>
    /// <param name="key">The property name.</param>
    /// <returns><see langword="true"/> when the sink sets it.</returns>
    public static bool IsReserved(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReservedProperties.Contains(key) || key.StartsWith("dotnet.", StringComparison.Ordinal);
    }

    /// <summary>The producer properties for <paramref name="options"/>, in the order they are applied.</summary>
    /// <param name="options">The sink's options.</param>
    /// <returns>The properties.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> Build(KafkaSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new List<KeyValuePair<string, string>>();
        void Set(string key, string value) => properties.Add(new(key, value));

        Set("bootstrap.servers", options.BootstrapServers);
        Set("client.id", "journalpump");
        Set("acks", "all");
        Set("enable.idempotence", SupportsIdempotence(options.ApiVersion) ? "true" : "false");
        Set("partitioner", "murmur2_random");
        Set("compression.type", "zstd");
        Set("linger.ms", "2");
        Set("reconnect.backoff.ms", "1000");
        Set("reconnect.backoff.max.ms", "10000");
        Set("socket.keepalive.enable", "true");
        Set("message.max.bytes", options.MaxMessageBytes.ToString(CultureInfo.InvariantCulture));
        if (options.ApiVersion is { } version && version != "auto")
        {
            // librdkafka asks brokers for their API versions; brokers before 0.10 cannot answer.
            Set("broker.version.fallback", version);
            if (VersionBefore(version, 0, 10))
            {
                Set("api.version.request", "false");
            }
        }

        string protocol = (options.Tls, options.Sasl is not null) switch
        {
            (false, false) => "plaintext",
            (true, false) => "ssl",
            (false, true) => "sasl_plaintext",
            (true, true) => "sasl_ssl",
        };
        Set("security.protocol", protocol);
        if (options.Tls)
        {
            // The statically linked librdkafka does not know the distribution's trust store: "probe" finds it.
            Set("ssl.ca.location", options.CaFile ?? "probe");
            Set("ssl.endpoint.identification.algorithm", "https");
            if (options.CertificateFile is { } certificate)
            {
                Set("ssl.certificate.location", certificate);
            }

            if (options.KeyFile is { } key)
            {
                Set("ssl.key.location", key);
            }
        }

        if (options.Sasl is { } sasl)
        {
            Set("sasl.mechanism", sasl.Mechanism switch
            {
                KafkaSaslMechanism.ScramSha256 => "SCRAM-SHA-256",
                KafkaSaslMechanism.ScramSha512 => "SCRAM-SHA-512",
                _ => "PLAIN",
            });
            Set("sasl.username", sasl.Username);
            Set("sasl.password", sasl.Password);
        }

        // The sink reads only the delivery status; librdkafka need not hand keys and values back.
        Set("dotnet.producer.delivery.report.fields", "status");
        foreach (var (key, value) in options.ProducerProperties)
        {
            Set(key, value);
        }

        return properties;
    }

    /// <summary>
    /// Checks <paramref name="options"/> without connecting: reserved or unknown properties, invalid values,
    /// unreadable certificates or keys. librdkafka itself validates, by creating a producer without brokers.
    /// </summary>
    /// <param name="options">The sink's options.</param>
    /// <returns>The problems, empty when the options are usable.</returns>
    public static IReadOnlyList<string> Validate(KafkaSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.MaxMessageBytes is < 1000 or > 1_000_000_000)
        {
            problems.Add($"the record size limit must be between 1000 and 1000000000 bytes, not {options.MaxMessageBytes}");
        }

        foreach (var key in options.ProducerProperties.Keys)
        {
            if (IsReserved(key))
            {
                problems.Add($"'{key}' cannot be set: the sink sets it");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var config = Build(options).Where(p => p.Key is not "bootstrap.servers").ToList();
        try
        {
            LibrdkafkaLibrary.EnsureLoaded();
            using var producer = new ProducerBuilder<byte[]?, byte[]>(config)
                .SetLogHandler(static (_, _) => { })
                .SetErrorHandler(static (_, _) => { })
                .Build();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            problems.Add(Redact(e.Message, options));
        }

        return problems;
    }

    /// <summary>The properties as <c>key=value</c> pairs for a log line, secrets replaced by <c>***</c>.</summary>
    /// <param name="options">The sink's options.</param>
    /// <returns>The description.</returns>
    public static string Describe(KafkaSinkOptions options) =>
        string.Join(", ", Build(options).Select(p => p.Key + "=" + (IsSecret(p.Key) ? "***" : p.Value)));

    /// <summary>Whether a property holds a secret (passwords, keys, OAuth configuration).</summary>
    /// <param name="key">The property name.</param>
    /// <returns><see langword="true"/> for secrets.</returns>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecretWords.Any(w => key.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes every secret value of <paramref name="options"/> from a message.</summary>
    internal static string Redact(string message, KafkaSinkOptions options)
    {
        foreach (var (key, value) in Build(options))
        {
            if (IsSecret(key) && value.Length > 0)
            {
                message = message.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }

    private static bool SupportsIdempotence(string? apiVersion) =>
        apiVersion is null or "auto" || !VersionBefore(apiVersion, 0, 11);

    private static bool VersionBefore(string version, int major, int minor)
    {
        var parts = version.Split('.');
        int a = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : 0;
        int b = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        return a < major || (a == major && b < minor);
    }
}
