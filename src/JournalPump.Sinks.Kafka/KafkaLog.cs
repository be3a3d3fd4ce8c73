using Microsoft.Extensions.Logging;

namespace JournalPump.Sinks.Kafka;

/// <summary>The event ids of the Kafka sink's log messages (6100-6199).</summary>
public static class KafkaEventIds
{
    /// <summary>The producer was created (with its properties, secrets masked).</summary>
    public const int ProducerCreated = 6100;

    /// <summary>The producer could not be created; the batch is retried.</summary>
    public const int ProducerFailed = 6101;

    /// <summary>A fatal error made the producer unusable; it is replaced before the next batch.</summary>
    public const int FatalError = 6102;

    /// <summary>The producer is replaced after a fatal error.</summary>
    public const int ReplacingProducer = 6103;

    /// <summary>A client-level error; librdkafka keeps trying. An error for authentication, TLS or authorization, a warning otherwise.</summary>
    public const int ClientError = 6104;

    /// <summary>Records were not delivered for a reason that may pass; they are retried.</summary>
    public const int DeliveryFailed = 6105;

    /// <summary>Records were not delivered for a reason that needs fixing (authorization, missing topic, TLS); they are retried.</summary>
    public const int DeliveryNeedsAttention = 6106;

    /// <summary>A record was too large for Kafka and was replaced by journalpump's error stub.</summary>
    public const int RecordTooLarge = 6107;

    /// <summary>The topic was created.</summary>
    public const int TopicCreated = 6108;

    /// <summary>The topic to create exists already.</summary>
    public const int TopicExists = 6109;

    /// <summary>The topic could not be created; records are sent anyway (the topic may exist).</summary>
    public const int TopicCreationFailed = 6110;

    /// <summary>A librdkafka log line.</summary>
    public const int Librdkafka = 6111;
}

internal static partial class KafkaLog
{
    [LoggerMessage(EventId = KafkaEventIds.ProducerCreated, Level = LogLevel.Information, Message = "Sender {Sender}: Kafka producer created (librdkafka {Version} from {Library}): {Properties}")]
    public static partial void ProducerCreated(ILogger logger, string sender, string version, string library, string properties);

    [LoggerMessage(EventId = KafkaEventIds.ProducerFailed, Level = LogLevel.Error, Message = "Sender {Sender}: {Reason}")]
    public static partial void ProducerFailed(ILogger logger, string sender, string reason);

    [LoggerMessage(EventId = KafkaEventIds.FatalError, Level = LogLevel.Critical, Message = "Sender {Sender}: fatal Kafka producer error, the producer will be replaced: {Reason}")]
    public static partial void FatalError(ILogger logger, string sender, string reason);

    [LoggerMessage(EventId = KafkaEventIds.ReplacingProducer, Level = LogLevel.Warning, Message = "Sender {Sender}: replacing the Kafka producer after a fatal error ({Reason})")]
    public static partial void ReplacingProducer(ILogger logger, string sender, string reason);

    [LoggerMessage(EventId = KafkaEventIds.ClientError, Message = "Sender {Sender}: Kafka client error: {Reason}")]
    public static partial void ClientError(ILogger logger, LogLevel level, string sender, string reason);

    [LoggerMessage(EventId = KafkaEventIds.DeliveryFailed, Level = LogLevel.Warning, Message = "Sender {Sender}: {Count} records not delivered, will retry: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string sender, int count, string reason);

    [LoggerMessage(EventId = KafkaEventIds.DeliveryNeedsAttention, Level = LogLevel.Error, Message = "Sender {Sender}: {Count} records not delivered, kept and retried until the cause is fixed: {Reason}")]
    public static partial void DeliveryNeedsAttention(ILogger logger, string sender, int count, string reason);

    [LoggerMessage(EventId = KafkaEventIds.RecordTooLarge, Level = LogLevel.Warning, Message = "Sender {Sender}: a record of {Length} bytes is too large for Kafka ({Reason}); sending journalpump's error stub instead")]
    public static partial void RecordTooLarge(ILogger logger, string sender, int length, string reason);

    [LoggerMessage(EventId = KafkaEventIds.TopicCreated, Level = LogLevel.Information, Message = "Sender {Sender}: created topic {Topic} with {Partitions} partitions, replication factor {Replication}")]
    public static partial void TopicCreated(ILogger logger, string sender, string topic, int partitions, short replication);

    [LoggerMessage(EventId = KafkaEventIds.TopicExists, Level = LogLevel.Debug, Message = "Sender {Sender}: topic {Topic} exists")]
    public static partial void TopicExists(ILogger logger, string sender, string topic);

    [LoggerMessage(EventId = KafkaEventIds.TopicCreationFailed, Level = LogLevel.Warning, Message = "Sender {Sender}: cannot create topic {Topic} ({Reason}); sending to it anyway, it may exist")]
    public static partial void TopicCreationFailed(ILogger logger, string sender, string topic, string reason);

    [LoggerMessage(EventId = KafkaEventIds.Librdkafka, Message = "Sender {Sender}: librdkafka {Facility}: {Text}")]
    public static partial void Librdkafka(ILogger logger, LogLevel level, string sender, string facility, string text);
}
