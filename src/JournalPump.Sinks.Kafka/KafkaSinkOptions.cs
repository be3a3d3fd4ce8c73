using JournalPump.Core.Metrics;

namespace JournalPump.Sinks.Kafka;

/// <summary>SASL mechanisms the Kafka sink can authenticate with.</summary>
public enum KafkaSaslMechanism
{
    /// <summary><c>PLAIN</c>: user name and password in the clear (use it with TLS).</summary>
    Plain,

    /// <summary><c>SCRAM-SHA-256</c>.</summary>
    ScramSha256,

    /// <summary><c>SCRAM-SHA-512</c>.</summary>
    ScramSha512,
}

/// <summary>SASL credentials.</summary>
public sealed class KafkaSaslOptions
{
    /// <summary>The mechanism.</summary>
    public required KafkaSaslMechanism Mechanism { get; init; }

    /// <summary>The user name.</summary>
    public required string Username { get; init; }

    /// <summary>The password. Never logged.</summary>
    public required string Password { get; init; }
}

/// <summary>Create the topic when it is missing (journalpump's <c>kafka_topic_config</c>).</summary>
public sealed class KafkaTopicCreation
{
    /// <summary>Number of partitions.</summary>
    public required int Partitions { get; init; }

    /// <summary>Replication factor.</summary>
    public required short ReplicationFactor { get; init; }
}

/// <summary>Options of <see cref="KafkaSink"/>.</summary>
public sealed class KafkaSinkOptions
{
    /// <summary>The largest record sent as is: journalpump's 1 MiB record limit plus room for the key.</summary>
    public const int DefaultMaxMessageBytes = (1024 * 1024) + 1024;

    /// <summary>The sender's name, for logs and metrics.</summary>
    public required string Name { get; init; }

    /// <summary>Bootstrap servers: comma-separated <c>host[:port]</c> (default port 9092).</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The topic every record goes to.</summary>
    public required string Topic { get; init; }

    /// <summary>
    /// The key of every record (journalpump's <c>kafka_msg_key</c>, as UTF-8), or <see langword="null"/> for no key.
    /// Keyed records are partitioned with Java's murmur2 hash, as Java clients and journalpump do.
    /// </summary>
    public byte[]? MessageKey { get; init; }

    /// <summary>Connect with TLS. Hostnames are verified.</summary>
    public bool Tls { get; init; }

    /// <summary>CA bundle (PEM) to verify the brokers with; <see langword="null"/>: the system's trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Client certificate (PEM), for brokers that require one.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The client certificate's private key (PEM).</summary>
    public string? KeyFile { get; init; }

    /// <summary>SASL authentication; <see langword="null"/>: none.</summary>
    public KafkaSaslOptions? Sasl { get; init; }

    /// <summary>
    /// journalpump's <c>kafka_api_version</c>: <see langword="null"/> or <c>"auto"</c> to negotiate (the default), or
    /// the brokers' version (<c>"0.9"</c>, <c>"2.8.0"</c>) for brokers too old to tell theirs.
    /// </summary>
    public string? ApiVersion { get; init; }

    /// <summary>Create the topic with these settings whenever the producer starts, unless it exists.</summary>
    public KafkaTopicCreation? TopicCreation { get; init; }

    /// <summary>
    /// The record size limit, librdkafka's <c>message.max.bytes</c>. A record the client or the broker refuses as
    /// too large is replaced by journalpump's error stub (<c>{"error": "too large message ...", "partial_data": ...}</c>).
    /// </summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>
    /// Extra librdkafka producer properties (<c>compression.type</c>, <c>linger.ms</c>, <c>batch.size</c>, <c>acks</c>...),
    /// applied last. See <see cref="KafkaProducerSettings.ReservedProperties"/> for the ones that cannot be set.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProducerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the sink counts errors (<c>journal.kafka_error</c>).</summary>
    public IPumpMetrics Metrics { get; init; } = NullPumpMetrics.Instance;

    /// <summary>The sender's metric tags.</summary>
    public IReadOnlyList<MetricTag> MetricTags { get; init; } = [];
}
