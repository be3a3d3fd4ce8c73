using System.Diagnostics;
using Confluent.Kafka;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// Reads what reached a topic with a Confluent.Kafka consumer: every partition assigned from its first
/// offset, no consumer group join, no commits, no topic auto-creation.
/// </summary>
public static class KafkaRecords
{
    /// <summary>
    /// Reads the topic from the beginning and returns its records ordered by partition and offset.
    /// Returns once at least <paramref name="expectedCount"/> records were read and the reader is at
    /// the end of every partition (so records beyond the expected ones, duplicates say, are returned
    /// too); if that has not happened after <paramref name="timeout"/>, returns what it read so far.
    /// A topic that does not exist reads as no records.
    /// </summary>
    /// <param name="bootstrapServers">The cluster (<see cref="KafkaMockCluster.BootstrapServers"/> or <see cref="KafkaTlsFront.BootstrapServers"/>).</param>
    /// <param name="topic">The topic.</param>
    /// <param name="expectedCount">How many records the caller expects at least.</param>
    /// <param name="timeout">Guard against waiting forever; not a measure of anything.</param>
    /// <param name="settings">More librdkafka settings, e.g. <see cref="KafkaTlsFront.ClientSettings"/>.</param>
    public static IReadOnlyList<KafkaRecord> ReadAll(
        string bootstrapServers, string topic, int expectedCount, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var deadline = Stopwatch.StartNew();

        var common = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["bootstrap.servers"] = bootstrapServers,
        };
        int[] partitions = Partitions(common, topic, timeout);
        if (partitions.Length == 0)
        {
            return [];
        }

        var config = new ConsumerConfig(common)
        {
            GroupId = "journalpump-test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AllowAutoCreateTopics = false,
        };

        var records = new List<KafkaRecord>();
        var atEnd = new HashSet<int>();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, _) => { }) // transient errors are retried by librdkafka; the deadline bounds the read
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        try
        {
            while (deadline.Elapsed < timeout)
            {
                if (records.Count >= expectedCount && atEnd.Count == partitions.Length)
                {
                    break;
                }

                ConsumeResult<byte[]?, byte[]?>? result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    atEnd.Add(result.Partition.Value);
                    continue;
                }

                atEnd.Remove(result.Partition.Value);
                Message<byte[]?, byte[]?> message = result.Message;
                records.Add(new KafkaRecord(
                    result.Partition.Value,
                    result.Offset.Value,
                    message.Key,
                    message.Value ?? [],
                    message.Headers?.Select(h => KeyValuePair.Create(h.Key, h.GetValueBytes() ?? [])).ToArray() ?? [],
                    message.Timestamp.Type,
                    message.Timestamp.UnixTimestampMs));
            }
        }
        finally
        {
            consumer.Close();
        }

        return [.. records.OrderBy(r => r.Partition).ThenBy(r => r.Offset)];
    }

    /// <summary>The topic's partition ids, or none when the topic does not exist. Never creates the topic.</summary>
    /// <param name="settings">librdkafka settings, <c>bootstrap.servers</c> included.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="timeout">How long the Metadata request may take.</param>
    public static int[] Partitions(IReadOnlyDictionary<string, string> settings, string topic, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var adminConfig = new AdminClientConfig(new Dictionary<string, string>(settings))
        {
            AllowAutoCreateTopics = false,
        };

        using var admin = new AdminClientBuilder(adminConfig)
            .SetErrorHandler((_, _) => { })
            .SetLogHandler((_, _) => { })
            .Build();
        return Partitions(admin, topic, timeout);
    }

    /// <summary>The topic's partition ids through an admin client the caller keeps, or none when the topic does not exist.</summary>
    /// <param name="admin">An admin client of the cluster (created with <c>allow.auto.create.topics=false</c> to never create the topic).</param>
    /// <param name="topic">The topic.</param>
    /// <param name="timeout">How long the Metadata request may take.</param>
    public static int[] Partitions(IAdminClient admin, string topic, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        Metadata metadata = admin.GetMetadata(topic, timeout);
        TopicMetadata? topicMetadata = metadata.Topics.SingleOrDefault(t => t.Topic == topic);
        if (topicMetadata is null || topicMetadata.Error.Code == ErrorCode.UnknownTopicOrPart)
        {
            return [];
        }

        if (topicMetadata.Error.IsError)
        {
            throw new KafkaException(topicMetadata.Error);
        }

        return [.. topicMetadata.Partitions.Select(p => p.PartitionId).Order()];
    }

    /// <summary>
    /// How many records the partitions hold: the sum of their high watermarks (every record ever appended counts,
    /// also those the mock cluster no longer keeps). Joins no group and commits nothing.
    /// </summary>
    /// <param name="consumer">A consumer of the cluster.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="partitions">Its partitions (<see cref="Partitions(IAdminClient, string, TimeSpan)"/>).</param>
    /// <param name="timeout">How long each watermark request may take.</param>
    /// <exception cref="KafkaException">A request failed (brokers down).</exception>
    public static long CountByWatermarks<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, IEnumerable<int> partitions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(partitions);
        long sum = 0;
        foreach (int partition in partitions)
        {
            sum += consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), timeout).High.Value;
        }

        return sum;
    }
}
