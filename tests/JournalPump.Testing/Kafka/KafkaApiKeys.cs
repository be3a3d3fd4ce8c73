namespace JournalPump.Testing.Kafka;

/// <summary>
/// Kafka protocol request types (ApiKey), for <see cref="KafkaMockCluster.PushRequestErrors"/> and
/// friends. The mock cluster answers the ones marked "served"; any other request makes it log
/// "unsupported ...Request" and close the connection.
/// </summary>
public static class KafkaApiKeys
{
    /// <summary>ProduceRequest (served).</summary>
    public const short Produce = 0;

    /// <summary>FetchRequest (served).</summary>
    public const short Fetch = 1;

    /// <summary>ListOffsetsRequest (served).</summary>
    public const short ListOffsets = 2;

    /// <summary>
    /// MetadataRequest (served). librdkafka 2.16's mock does not apply errors pushed for it (a producer
    /// gets its metadata regardless); use <see cref="KafkaMockCluster.SetTopicError"/> for topic errors.
    /// </summary>
    public const short Metadata = 3;

    /// <summary>OffsetCommitRequest (served).</summary>
    public const short OffsetCommit = 8;

    /// <summary>OffsetFetchRequest (served).</summary>
    public const short OffsetFetch = 9;

    /// <summary>FindCoordinatorRequest (served).</summary>
    public const short FindCoordinator = 10;

    /// <summary>JoinGroupRequest (served).</summary>
    public const short JoinGroup = 11;

    /// <summary>HeartbeatRequest (served).</summary>
    public const short Heartbeat = 12;

    /// <summary>LeaveGroupRequest (served).</summary>
    public const short LeaveGroup = 13;

    /// <summary>SyncGroupRequest (served).</summary>
    public const short SyncGroup = 14;

    /// <summary>SaslHandshakeRequest (NOT served: the mock has no SASL).</summary>
    public const short SaslHandshake = 17;

    /// <summary>ApiVersionsRequest (served).</summary>
    public const short ApiVersions = 18;

    /// <summary>
    /// CreateTopicsRequest (NOT served: an Admin client's CreateTopics fails with "Failed while waiting
    /// for controller"). Create topics with <see cref="KafkaMockCluster.CreateTopic"/>.
    /// </summary>
    public const short CreateTopics = 19;

    /// <summary>InitProducerIdRequest (served; idempotent and transactional producers).</summary>
    public const short InitProducerId = 22;

    /// <summary>AddPartitionsToTxnRequest (served).</summary>
    public const short AddPartitionsToTxn = 24;

    /// <summary>AddOffsetsToTxnRequest (served).</summary>
    public const short AddOffsetsToTxn = 25;

    /// <summary>EndTxnRequest (served).</summary>
    public const short EndTxn = 26;

    /// <summary>TxnOffsetCommitRequest (served).</summary>
    public const short TxnOffsetCommit = 28;

    /// <summary>SaslAuthenticateRequest (NOT served: the mock has no SASL).</summary>
    public const short SaslAuthenticate = 36;
}
