using System.Text;
using JournalPump.Core.Metrics;
using JournalPump.Host.Config;
using JournalPump.Sinks.Kafka;

namespace JournalPump.Host.Daemon;

/// <summary>Maps an <c>output_type: kafka</c> sender's keys to <see cref="KafkaSinkOptions"/>.</summary>
internal static class KafkaSinkFactory
{
    /// <summary>The sink options for a sender.</summary>
    public static KafkaSinkOptions Options(string name, KafkaSenderSettings settings, IPumpMetrics metrics, IReadOnlyList<MetricTag> tags) => new()
    {
        Name = name,
        BootstrapServers = settings.KafkaAddress,
        Topic = settings.KafkaTopic,
        MessageKey = settings.KafkaMsgKey is { } key ? Encoding.UTF8.GetBytes(key) : null,
        Tls = settings.Ssl,
        CaFile = settings.Ca,
        CertificateFile = settings.Certfile,
        KeyFile = settings.Keyfile,
        ApiVersion = settings.KafkaApiVersion,
        TopicCreation = settings.KafkaTopicConfig is { NumPartitions: { } partitions, ReplicationFactor: { } replication }
            ? new KafkaTopicCreation { Partitions = partitions, ReplicationFactor = (short)replication }
            : null,
        Sasl = settings.Sasl is { } sasl
            ? new KafkaSaslOptions
            {
                Mechanism = sasl.Mechanism switch
                {
                    "SCRAM-SHA-256" => KafkaSaslMechanism.ScramSha256,
                    "SCRAM-SHA-512" => KafkaSaslMechanism.ScramSha512,
                    _ => KafkaSaslMechanism.Plain,
                },
                Username = sasl.Username,
                Password = sasl.Password,
            }
            : null,
        ProducerProperties = (settings.ProducerConfig ?? []).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        Metrics = metrics,
        MetricTags = tags,
    };

    /// <summary>librdkafka's verdict on a sender's settings, without connecting.</summary>
    public static IReadOnlyList<string> Validate(KafkaSenderSettings settings) =>
        KafkaProducerSettings.Validate(Options("validation", settings, NullPumpMetrics.Instance, []));
}
