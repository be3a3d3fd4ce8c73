using Confluent.Kafka;

namespace JournalPump.Sinks.Kafka;

/// <summary>What a delivery error means for the record.</summary>
internal enum KafkaErrorKind
{
    /// <summary>The cause may pass (broker down, leader change, timeout, throttling, not enough replicas): send it again.</summary>
    Retriable,

    /// <summary>The record is over the client's or the broker's size limit: send journalpump's stub instead.</summary>
    TooLarge,

    /// <summary>The broker refuses this record for good.</summary>
    InvalidRecord,
}

/// <summary>How the sink treats librdkafka's and the brokers' error codes.</summary>
internal static class KafkaErrors
{
    public static KafkaErrorKind Classify(ErrorCode code) => code switch
    {
        ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.RecordListTooLarge => KafkaErrorKind.TooLarge,
        ErrorCode.InvalidRecord or ErrorCode.InvalidTimestamp => KafkaErrorKind.InvalidRecord,
        _ => KafkaErrorKind.Retriable,
    };

    /// <summary>
    /// Errors that do not pass by themselves: the records are kept and retried with backoff (journalpump would lose
    /// or loop on them silently), and the error is logged as an error so that someone fixes the cause.
    /// </summary>
    public static bool NeedsAttention(ErrorCode code) => code is
        ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TransactionalIdAuthorizationFailed
        or ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication or ErrorCode.Local_Ssl
        or ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition
        or ErrorCode.TopicException or ErrorCode.Local_Fatal or ErrorCode.InvalidRequiredAcks;

    /// <summary>A short, secret-free description: <c>TopicAuthorizationFailed: Broker: Topic authorization failed</c>.</summary>
    public static string Describe(Error error) => error.Code + ": " + error.Reason;
}
